import { describe, expect, it } from "vitest";
import { DueQueue } from "./due-queue.ts";

describe("DueQueue (the scheduler's next runs by due time)", () => {
  it("takes what is due, earliest first, and leaves the rest", () => {
    const queue = new DueQueue();
    queue.set("ins_b", "daily", 300);
    queue.set("ins_a", "hourly", 100);
    queue.set("ins_c", "weekly", 900);
    queue.set("ins_a", "daily", 200);
    expect(queue.earliest()).toBe(100);
    expect(queue.takeDue(250)).toEqual([
      { at: 100, instanceId: "ins_a", flowId: "hourly" },
      { at: 200, instanceId: "ins_a", flowId: "daily" },
    ]);
    expect(queue.earliest()).toBe(300);
    expect(queue.takeDue(250)).toEqual([]);
  });

  it("a flow has one due time: setting it again moves it, null clears it, and a taken run is not taken twice", () => {
    const queue = new DueQueue();
    queue.set("ins_a", "f", 100);
    queue.set("ins_a", "f", 100); // registered twice with the same time: still one run
    queue.set("ins_b", "f", 50);
    queue.set("ins_b", "f", 500); // re-registered later
    queue.set("ins_c", "f", 10);
    queue.set("ins_c", "f", null); // paused
    expect(queue.takeDue(1000)).toEqual([
      { at: 100, instanceId: "ins_a", flowId: "f" },
      { at: 500, instanceId: "ins_b", flowId: "f" },
    ]);
    expect(queue.earliest()).toBe(Infinity);
  });

  it("stays exact when replaced entries pile up (the heap is rebuilt from the live ones)", () => {
    const queue = new DueQueue();
    for (let round = 0; round < 50; round++) for (let i = 0; i < 20; i++) queue.set(`ins_${i}`, "f", 10_000 - round * 100 + i);
    expect(queue.earliest()).toBe(5100);
    const taken = queue.takeDue(Infinity);
    expect(taken.map((d) => d.instanceId)).toEqual(Array.from({ length: 20 }, (_, i) => `ins_${i}`));
    expect(taken.map((d) => d.at)).toEqual(Array.from({ length: 20 }, (_, i) => 5100 + i));
  });
});
