import { describe, expect, it } from "vitest";
import { emptyRunningTotal, observeRunningTotal, type Part } from "./running-total.ts";

const proc = (pid: number, startTime: string, value: bigint, parent?: string): Part => ({
  key: `${pid}:${startTime}`,
  value,
  parentKey: parent,
});

describe("observeRunningTotal", () => {
  it("keeps a vanished process's last value and never goes backwards when its PID is reused", () => {
    const state = emptyRunningTotal();
    expect(observeRunningTotal(state, [proc(10, "100", 50n), proc(11, "101", 30n)])).toBe(80n);
    // 11 exits; 10 burns 5 more ticks.
    expect(observeRunningTotal(state, [proc(10, "100", 55n)])).toBe(85n);
    // PID 11 comes back as a new process (another start time) with 2 ticks: added, not a reset.
    expect(observeRunningTotal(state, [proc(10, "100", 55n), proc(11, "900", 2n)])).toBe(87n);
  });

  it("does not count a reaped child twice when the kernel folds its I/O into the live parent", () => {
    const state = emptyRunningTotal();
    expect(observeRunningTotal(state, [proc(10, "1", 100n), proc(11, "2", 40n, "10:1")])).toBe(140n);
    // The child wrote 10 more bytes, exited and was reaped: the parent's figure now includes all 50.
    expect(observeRunningTotal(state, [proc(10, "1", 150n)])).toBe(150n);
    // An orphan whose parent is gone keeps what we last saw.
    expect(observeRunningTotal(state, [proc(10, "1", 150n), proc(12, "3", 7n, "99:9")])).toBe(157n);
    expect(observeRunningTotal(state, [proc(10, "1", 150n)])).toBe(157n);
  });
});
