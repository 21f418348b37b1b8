/**
 * `npm run bench [-- <part>…] [-- --profile]`: the performance figures of issues 4 and 7, each
 * printed as a ratio against a floor measured in the same run on the same machine. Parts:
 * webhook, durability, scale, tti, search, wizard (default: all). A script, not a test: it never fails CI on a
 * figure; it exits non-zero only when a part could not be measured at all.
 */
import { benchWebhook } from "./webhook.ts";
import { printSection, type Section } from "./report.ts";

const PARTS = ["webhook", "durability", "scale", "tti", "search", "wizard"] as const;
type Part = (typeof PARTS)[number];

const args = process.argv.slice(2);
const profile = args.includes("--profile");
const asked = args.filter((a) => !a.startsWith("--"));
for (const a of asked) {
  if (!(PARTS as readonly string[]).includes(a)) {
    console.error(`unknown part "${a}"; choose from ${PARTS.join(", ")}`);
    process.exit(2);
  }
}
const parts: Part[] = asked.length ? (asked as Part[]) : [...PARTS];

console.log(`Emporium bench · node ${process.version} · ${parts.join(", ")}${profile ? " · profiling" : ""}`);
const started = performance.now();
let failed = false;
for (const part of parts) {
  try {
    let section: Section;
    if (part === "webhook") section = await benchWebhook({ profile });
    else if (part === "durability") section = await (await import("./durability.ts")).benchDurability();
    else if (part === "scale") section = await (await import("./scale.ts")).benchScale();
    else {
      const { benchBrowser } = await import("./browser-parts.ts");
      section = await benchBrowser(part);
    }
    printSection(section);
  } catch (error) {
    failed = true;
    console.error(`\n## ${part}: could not be measured: ${(error as Error).stack ?? error}`);
  }
}
console.log(`\nbench finished in ${((performance.now() - started) / 1000).toFixed(0)} s`);
process.exitCode = failed ? 1 : 0;
