/**
 * Event names the frame may emit.
 */

/**
 * Every `EventName`, as one anchored regex because it ships in the 4 kB budget (a record of
 * names costs twice as much); events.test.ts fails when it and `EventPayloads` disagree.
 * Anchored, it never matches `toString`, `__proto__` and friends.
 */
export const eventName =
  /^(ready|close|warning|error|resize|execution-failed|instance-(deployed|deleted|paused|resumed|configuration-(opened|page-loaded|closed|canceled)))$/;
