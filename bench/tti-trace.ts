/**
 * `npx tsx bench/tti-trace.ts [floor|product] [runs]`: a Chromium trace of time-to-interactive
 * runs (after warm-up), summarised per renderer main thread: what ran in the frame's process from
 * its navigation to `ready`, longest tasks first, with the top-level trace events inside them.
 * A tool for finding where the boot path spends its time, not a figure the bench reports. Each
 * run's boot milestones from the renderer's own CPU clock are printed too (boot-trace.ts).
 */
import { writeFileSync } from "node:fs";
import { startPlatformServer } from "../mock-server/index.ts";
import { launchBrowser } from "../tests/harness.ts";
import { startBenchPages } from "./bench-pages.ts";
import { bootRuns } from "./boot-trace.ts";

const which = (process.argv[2] ?? "product") as "floor" | "product";
const runs = Number(process.argv[3] ?? 3);
const pages = await startBenchPages();
const platform = await startPlatformServer({ host: "127.0.0.1", port: 0, frameDir: pages.frameDir, allowedOrigins: [pages.hostUrl] });
const browser = await launchBrowser();
type Bench = { __bench: { floor(): Promise<number>; marketplace(): Promise<number>; close(): void } };
try {
  const { page } = browser;
  await page.goto(`${pages.hostUrl}/?platform=${encodeURIComponent(platform.url)}`);
  await page.waitForFunction(() => "__bench" in window);
  const once = () =>
    page.evaluate((w) => {
      const b = (window as unknown as Bench).__bench;
      return (w === "floor" ? b.floor() : b.marketplace()).then((t) => (b.close(), t));
    }, which);
  for (let i = 0; i < 3; i++) await once();
  const cdp = await browser.context.newCDPSession(page);
  const events: unknown[] = [];
  cdp.on("Tracing.dataCollected", (e: { value: unknown[] }) => events.push(...e.value));
  const done = new Promise<void>((resolve) => cdp.once("Tracing.tracingComplete", () => resolve()));
  await cdp.send("Tracing.start", {
    categories: "devtools.timeline,disabled-by-default-devtools.timeline,v8.execute,v8,blink.user_timing,loading,toplevel,disabled-by-default-devtools.timeline.frame,blink,renderer.scheduler",
    transferMode: "ReportEvents",
  });
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  await cdp.send("Tracing.end");
  await done;
  writeFileSync(`/tmp/tti-${which}.trace.json`, JSON.stringify({ traceEvents: events }));
  console.log(`${which}: ${times.map((t) => t.toFixed(0)).join(" ")} ms; trace in /tmp/tti-${which}.trace.json (${events.length} events)`);
  for (const r of bootRuns(events as Parameters<typeof bootRuns>[0]))
    console.log(
      `  evaluation ${r.evalCpu.toFixed(1)} ms CPU (${r.navToEval.toFixed(1)} ms after the document request); → GET ${r.evalToGetCpu.toFixed(1)} ms CPU, ${r.evalToGetWall.toFixed(1)} ms wall; answer → paint ${r.answerToPaintCpu.toFixed(1)} ms CPU, ${r.answerToPaintWall.toFixed(1)} ms wall`,
    );
} finally {
  await browser.close();
  await platform.close();
  await pages.close();
}
