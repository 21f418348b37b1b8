/**
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof`) and says where the time went: self time
 * grouped by package (node_modules/<pkg>) or repository file, and the hottest functions.
 * Enough to tell "persistence" from "validation" from "HTTP plumbing" without a viewer.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

function where(url: string): string {
  if (!url) return "(native / V8)";
  const nm = url.lastIndexOf("/node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + "/node_modules/".length).split("/");
    return `npm:${rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (url.startsWith("node:")) return url;
  const repo = url.match(/\/(mock-server|contract|bench|examples|scripts)\/.*$/);
  return repo ? repo[0].slice(1) : url;
}

/** Lines for the report: top groups and functions by self time, as % of sampled time. */
export function summariseProfile(profile: CpuProfile, top = 10): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  let total = 0;
  const groups = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    total += us;
    if (functionName === "(idle)" || functionName === "(program)" || functionName === "(garbage collector)") {
      groups.set(functionName, (groups.get(functionName) ?? 0) + us);
      continue;
    }
    const group = where(url);
    groups.set(group, (groups.get(group) ?? 0) + us);
    const fn = `${functionName || "(anonymous)"} ${where(url)}:${lineNumber + 1}`;
    functions.set(fn, (functions.get(fn) ?? 0) + us);
  }
  const pct = (us: number) => `${((us / total) * 100).toFixed(1)}%`;
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [
    `platform CPU profile (${(total / 1e6).toFixed(1)} s sampled), self time by package/file: ` +
      sorted(groups).map(([g, us]) => `${g} ${pct(us)}`).join(", "),
    "hottest functions (self): " + sorted(functions).map(([f, us]) => `${f} ${pct(us)}`).join("; "),
  ];
}
