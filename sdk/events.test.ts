import { describe, expect, it } from "vitest";
import type { EventName } from "../contract/channel-types.ts";
import { eventName } from "./events.ts";

// A record, so the compiler fails here when EventPayloads gains or loses an event.
const every: Record<EventName, true> = {
  ready: true,
  close: true,
  "instance-configuration-opened": true,
  "instance-configuration-page-loaded": true,
  "instance-configuration-closed": true,
  "instance-configuration-canceled": true,
  "instance-deployed": true,
  "instance-deleted": true,
  "instance-paused": true,
  "instance-resumed": true,
  "execution-failed": true,
  warning: true,
  error: true,
  resize: true,
};

describe("eventName", () => {
  it("matches every event of EventPayloads", () => {
    for (const name of Object.keys(every)) expect(eventName.test(name), name).toBe(true);
  });

  it.each(["toString", "__proto__", "constructor", "ready ", "instance-", "instance-configuration-", "READY", "", "error\n"])(
    "C5 rejects %j",
    (name) => expect(eventName.test(name)).toBe(false),
  );
});
