import { describe, expect, it } from "vitest";
import { type Clock, dutyCycle } from "./duty-cycle.ts";

/** A clock that moves only when a step works or the cycle sleeps, and records both. */
function aFakeClock() {
  let now = 0;
  const timeline: string[] = [];
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      timeline.push(`rest ${ms}`);
      now += ms;
    },
  };
  const work = (ms: number) => async () => {
    timeline.push(`work ${ms}`);
    now += ms;
    return ms;
  };
  return { clock, work, timeline, elapsed: () => now };
}

describe("a duty cycle", () => {
  it("rests after each step so that the steps take the given share of the time", async () => {
    const { clock, work, timeline, elapsed } = aFakeClock();
    const paced = dutyCycle(0.2, clock);
    expect(await paced(work(50))).toBe(50);
    await paced(work(10));
    expect(timeline).toEqual(["work 50", "rest 200", "work 10", "rest 40"]);
    expect(elapsed()).toBe(300);
  });

  it("reads a share given as a function after each step", async () => {
    const { clock, work, timeline } = aFakeClock();
    let share = 0.5;
    const paced = dutyCycle(() => share, clock);
    await paced(work(10));
    share = 0.1;
    await paced(work(10));
    share = 1;
    await paced(work(10));
    expect(timeline).toEqual(["work 10", "rest 10", "work 10", "rest 90", "work 10"]);
  });

  it("never rests at a share of 1, and refuses a share outside (0, 1]", async () => {
    const { clock, work, timeline } = aFakeClock();
    await dutyCycle(1, clock)(work(50));
    expect(timeline).toEqual(["work 50"]);
    expect(() => dutyCycle(0, clock)).toThrow(RangeError);
    expect(() => dutyCycle(1.5, clock)).toThrow(RangeError);
    expect(() => dutyCycle(() => 0, clock)).toThrow(RangeError);
  });
});
