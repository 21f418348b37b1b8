/**
 * Asks our own backend (examples/demo-backend) for a customer JWT. The tokens are short-lived
 * on purpose: the frame asks for a new one 60 s before `exp`, so with 70 s a refresh (a new
 * getToken call) shows in the event log every ~10 s. Use minutes in a real app.
 */
export const tokenTtlSeconds = 70;

export async function fetchToken(customer: string, onFetched: () => void): Promise<string> {
  const res = await fetch("/api/emporium-token", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ customer, ttlSeconds: tokenTtlSeconds }),
  });
  if (!res.ok) throw new Error(`token endpoint answered ${res.status}`);
  const { token } = (await res.json()) as { token: string };
  onFetched();
  return token;
}
