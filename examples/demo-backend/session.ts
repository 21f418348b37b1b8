/**
 * The demo's signed-in user: a stand-in for your app's own login, so the token endpoint and the
 * org console's proxy authenticate someone, as yours must. Copy the checks, not the sign-in.
 *
 * - `POST /api/demo/sign-in` is the fake sign-in (no password: a demo). Its JSON body may narrow
 *   the demo user: `{ "customers"?: ["acme-corp"], "role"?: "viewer", "staff"?: false }`; by
 *   default they belong to both demo workspaces as an admin and are the organization's staff.
 *   The answer sets the session cookie: `HttpOnly` (no script reads it), `SameSite=Strict` (a
 *   page on another site cannot make the browser send it), `Path=/`, and `Secure` when the
 *   backend is served over https. `POST /api/demo/sign-out` ends the session.
 * - In development the host pages sign in automatically as the default demo user when they are
 *   served without a live session (`autoSignIn`, on unless EMPORIUM_DEMO_AUTO_SIGN_IN=0), so the
 *   demo opens at once; the endpoints themselves never sign anyone in.
 * - Every request that mints a token or changes something must also come from this backend's own
 *   pages: its `Origin` must be this backend's origin (CSRF defence in depth under SameSite).
 *
 * What a production backend must check before signing a customer JWT (docs/security.md): the
 * user's real session; that the customer (workspace) named in the token is one the user belongs
 * to, and the role they have there (a request may ask for less, never more); a short lifetime;
 * the Origin of the request. Before forwarding to the organization API: that the user is the
 * organization's staff.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { demoCustomers, type DemoCustomerId } from "./token.ts";

export const SESSION_COOKIE = "emporium_demo_session";
const SESSION_TTL_MS = 8 * 60 * 60 * 1000;

export type DemoRole = "admin" | "viewer";

export interface DemoSession {
  /** The workspaces (customers, in the platform's words) the user belongs to, with their role in each. */
  memberships: Partial<Record<DemoCustomerId, DemoRole>>;
  /** Whether they are the organization's staff (the org console). */
  staff: boolean;
  expiresAt: number;
}

/** Who the fake sign-in signs in: the default demo user, or a narrower one the body asks for. */
export type SignIn = Omit<DemoSession, "expiresAt">;

/** The default demo user: in both workspaces, an admin, and staff (the org console works too). */
export const defaultDemoUser = (): SignIn => ({
  memberships: Object.fromEntries(Object.keys(demoCustomers).map((id) => [id, "admin"])) as SignIn["memberships"],
  staff: true,
});

/** Sessions in memory: a restart signs everyone out (the next page load signs in again). */
export class DemoSessions {
  readonly #sessions = new Map<string, DemoSession>();

  /** The session a request's cookie names, if it is live. */
  of(req: IncomingMessage): DemoSession | undefined {
    const id = cookieValue(req.headers.cookie, SESSION_COOKIE);
    const session = id ? this.#sessions.get(id) : undefined;
    if (!session) return undefined;
    if (session.expiresAt <= Date.now()) {
      this.#sessions.delete(id!);
      return undefined;
    }
    return session;
  }

  /** Starts a session (ending the request's previous one) and sets its cookie on `res`. */
  signIn(req: IncomingMessage, res: ServerResponse, user: SignIn, secure: boolean): DemoSession {
    this.#end(req);
    const id = randomBytes(32).toString("base64url");
    const live = { ...user, expiresAt: Date.now() + SESSION_TTL_MS };
    this.#sessions.set(id, live);
    res.setHeader("Set-Cookie", cookie(id, SESSION_TTL_MS / 1000, secure));
    return live;
  }

  signOut(req: IncomingMessage, res: ServerResponse, secure: boolean): void {
    this.#end(req);
    res.setHeader("Set-Cookie", cookie("", 0, secure));
  }

  #end(req: IncomingMessage): void {
    const id = cookieValue(req.headers.cookie, SESSION_COOKIE);
    if (id) this.#sessions.delete(id);
  }
}

function cookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? "; Secure" : ""}`;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim() || undefined;
  }
  return undefined;
}

/** What the fake sign-in's body asks for, narrowed from the default user; undefined when it is not one. */
export function signInRequest(body: unknown): SignIn | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  const user = defaultDemoUser();
  const { customers = Object.keys(user.memberships), role = "admin", staff = user.staff } = body as Record<string, unknown>;
  if (!Array.isArray(customers) || customers.length === 0) return undefined;
  if (!customers.every((c) => typeof c === "string" && Object.hasOwn(demoCustomers, c))) return undefined;
  if (role !== "admin" && role !== "viewer") return undefined;
  if (typeof staff !== "boolean") return undefined;
  return { memberships: Object.fromEntries(customers.map((c) => [c, role])), staff };
}

/** Why the token endpoint refuses a grant: the answer's status, typed code and message. */
export interface GrantRefusal {
  status: 400 | 403;
  code: "BAD_REQUEST" | "FORBIDDEN";
  message: string;
}

/**
 * What the token endpoint may sign for this session: the workspace must be one of the user's,
 * and the role asked for may be theirs or less (viewer), never more. A refusal says why not.
 */
export function tokenGrant(session: DemoSession, customer: unknown, role: unknown): { customer: DemoCustomerId; role: DemoRole } | GrantRefusal {
  if (typeof customer !== "string" || !Object.hasOwn(demoCustomers, customer)) return { status: 400, code: "BAD_REQUEST", message: "Unknown demo customer." };
  const held = session.memberships[customer as DemoCustomerId];
  if (!held) return { status: 403, code: "FORBIDDEN", message: "The signed-in user is not a member of this customer." };
  const asked = role === undefined ? held : role;
  if (asked !== "admin" && asked !== "viewer") return { status: 400, code: "BAD_REQUEST", message: "Unknown role: \"admin\" or \"viewer\"." };
  if (asked === "admin" && held !== "admin") return { status: 403, code: "FORBIDDEN", message: "The signed-in user is not an admin of this customer." };
  return { customer: customer as DemoCustomerId, role: asked };
}
