/**
 * The host's screen options (`createMarketplace({ screens })`): which tabs of the activity
 * screen and which sections of the instance page the customer does not see. The frame's first
 * route only carries them along; they are read here, by the screens they concern, once per
 * frame: an unknown screen, tab or section name is a `warning` (INVALID_OPTION) naming it, and
 * is ignored.
 */
import type { ActivityScreen } from "../../../contract/channel-types.ts";
import type { Frame } from "../frame.ts";

export const ACTIVITY_TABS: readonly ActivityScreen[] = ["dashboard", "logs", "alerts", "usage"];
const INSTANCE_SECTIONS = ["executions", "alerts", "test", "replay"] as const;
export type InstanceSection = (typeof INSTANCE_SECTIONS)[number];

export interface ScreenVisibility {
  /** The activity tabs the customer sees, in order (none: the screen is off). */
  tabs: readonly ActivityScreen[];
  tab(name: ActivityScreen): boolean;
  section(name: InstanceSection): boolean;
}

const resolved = new WeakMap<Frame, ScreenVisibility>();

/** The names in `value` (a list) that `known` has; warns about the rest, and about a value that is not a list. */
function names<T extends string>(frame: Frame, value: unknown, known: readonly T[], subject: string): Set<T> {
  const out = new Set<T>();
  if (value === undefined) return out;
  if (!Array.isArray(value)) {
    frame.emit("warning", { code: "INVALID_OPTION", message: `expected a list of ${known.join(", ")}`, subject });
    return out;
  }
  for (const name of value) {
    if (known.includes(name)) out.add(name);
    else frame.emit("warning", { code: "INVALID_OPTION", message: `unknown name; expected one of ${known.join(", ")}`, subject: `${subject}: ${String(name).slice(0, 40)}` });
  }
  return out;
}

const plain = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

export function screenVisibility(frame: Frame): ScreenVisibility {
  let found = resolved.get(frame);
  if (found) return found;
  const screens: Record<string, unknown> = plain(frame.init.screens) ? frame.init.screens : {};
  for (const key of Object.keys(screens)) {
    if (key !== "activity" && key !== "instance") frame.emit("warning", { code: "INVALID_OPTION", message: "unknown screen; expected activity or instance", subject: `screens.${key.slice(0, 40)}` });
  }
  const activity = plain(screens.activity) ? screens.activity : {};
  const instance = plain(screens.instance) ? screens.instance : {};
  const hiddenTabs = names(frame, activity.hideTabs, ACTIVITY_TABS, "screens.activity.hideTabs");
  const hiddenSections = names(frame, instance.hideSections, INSTANCE_SECTIONS, "screens.instance.hideSections");
  const tabs = ACTIVITY_TABS.filter((tab) => !hiddenTabs.has(tab));
  found = { tabs, tab: (name) => tabs.includes(name), section: (name) => !hiddenSections.has(name) };
  resolved.set(frame, found);
  return found;
}
