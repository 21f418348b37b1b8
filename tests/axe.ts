/**
 * axe-core in real Chromium: runs it in a page or a frame (evaluate is not subject to the page's
 * CSP) on the settled screen and answers one readable line per violation, so a test can expect
 * `[]` and a failure names the rule, its impact and the elements.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Frame, Page } from "playwright-core";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface Violation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[] }[];
}

export async function axeViolations(target: Page | Frame): Promise<string[]> {
  if (!(await target.evaluate(() => "axe" in window))) await target.evaluate(axeSource);
  // Judge the settled screen, not a frame of a fade or a button's transition.
  // (An endless one, such as the code editor's blinking caret, has no end to jump to.)
  await target.evaluate(() => document.getAnimations().forEach((a) => a.effect?.getComputedTiming().endTime !== Infinity && a.finish()));
  const violations = (await target.evaluate(
    `axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))`,
  )) as Violation[];
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}
