/**
 * Which addresses an outgoing notification may go to (checklist N2). Outside the platform's local
 * development mode an endpoint must be a public https URL: loopback, private, link-local (cloud
 * metadata at 169.254.169.254), carrier-grade NAT, multicast, reserved and unspecified addresses
 * are refused, both as written in the URL (when it is registered) and as its name resolves (when
 * it is called: transports/notification-sender.ts checks every resolved address, so a public name
 * that resolves to 10.0.0.5 is refused too).
 */

/** The IPv4 address as a 32-bit number, or undefined when `text` is not a dotted quad. */
function ipv4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

/** [first address, prefix length] of every IPv4 block that is not the public internet. */
const PRIVATE_V4: ReadonlyArray<[string, number]> = [
  ["0.0.0.0", 8], // "this network", unspecified
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local, cloud metadata
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24], // documentation
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
];

function inV4Block(address: number, [first, bits]: [string, number]): boolean {
  const size = 2 ** (32 - bits);
  const start = ipv4(first)!;
  return address >= start && address < start + size;
}

/** The 8 groups of an IPv6 address (an embedded dotted quad expanded), or undefined. */
function ipv6Groups(text: string): number[] | undefined {
  let address = text.toLowerCase();
  if (address.startsWith("[") && address.endsWith("]")) address = address.slice(1, -1);
  const zone = address.indexOf("%");
  if (zone >= 0) address = address.slice(0, zone);
  if (!address.includes(":")) return undefined;
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (quad) {
    const v4 = ipv4(quad[1]);
    if (v4 === undefined) return undefined;
    address = `${address.slice(0, -quad[1].length)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = address.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => parseInt(g, 16));
}

/**
 * True for an IP address (v4 or v6, brackets allowed) that is not on the public internet; false
 * for a public one and for anything that is not an IP address (a host name).
 */
export function isNonPublicAddress(text: string): boolean {
  const v4 = ipv4(text);
  if (v4 !== undefined) return PRIVATE_V4.some((block) => inV4Block(v4, block));
  const g = ipv6Groups(text);
  if (!g) return false;
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0)) {
    // IPv4-mapped (::ffff:a.b.c.d) and the old IPv4-compatible form: judged as the IPv4 address
    // (::, ::1 fall here too and are refused as 0.0.0.0/8).
    return isNonPublicAddress(`${g[6] >>> 8}.${g[6] & 0xff}.${g[7] >>> 8}.${g[7] & 0xff}`);
  }
  if ((g[0] & 0xfe00) === 0xfc00) return true; // unique local fc00::/7
  if ((g[0] & 0xffc0) === 0xfe80) return true; // link-local fe80::/10
  if ((g[0] & 0xff00) === 0xff00) return true; // multicast
  if (g[0] === 0x2001 && g[1] === 0x0db8) return true; // documentation
  if (g[0] === 0x0064 && g[1] === 0xff9b) return true; // NAT64 (reaches IPv4 behind it)
  if (g[0] === 0x2002) return isNonPublicAddress(`${g[1] >>> 8}.${g[1] & 0xff}.${g[2] >>> 8}.${g[2] & 0xff}`); // 6to4
  return false;
}

/** Host names that never name a public internet host. */
function isLocalName(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, "");
  return name === "localhost" || /\.(localhost|local|internal|home\.arpa|lan|intranet|corp)$/.test(name) || !name.includes(".");
}

/**
 * Why `raw` may not be a notification endpoint, in plain words, or undefined when it may.
 * `development`: the platform's local development mode, where http and loopback/private
 * addresses are allowed (the demo's backend listens on localhost).
 */
export function endpointUrlProblem(raw: string, development: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "Enter a full URL, such as https://api.example.com/emporium/notifications.";
  }
  if (url.protocol !== "https:" && !(development && url.protocol === "http:")) {
    return development ? "The URL must start with https:// or http://." : "The URL must start with https://.";
  }
  if (url.username !== "" || url.password !== "") return "The URL may not carry a user name or password; the signature authenticates deliveries.";
  if (url.hash !== "") return "The URL may not have a #fragment.";
  if (!development) {
    const host = url.hostname;
    if (isNonPublicAddress(host)) return "The URL points at a private, loopback or reserved address; notifications go to public addresses only.";
    if (ipv4(host) === undefined && ipv6Groups(host) === undefined && isLocalName(host)) {
      return "The URL's host is a local name; notifications go to public host names only.";
    }
  }
  return undefined;
}
