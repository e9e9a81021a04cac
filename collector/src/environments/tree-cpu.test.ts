import { describe, expect, it } from "vitest";
import type { ProcStat } from "./process-tree.ts";
import { emptyTreeCpuState, observeTreeCpu } from "./tree-cpu.ts";

const proc = (pid: number, startTime: string, cpuTicks: bigint): ProcStat => ({
  pid,
  ppid: 1,
  startTime,
  cpuTicks,
});

describe("observeTreeCpu", () => {
  it("keeps a vanished process's last CPU and never goes backwards when its PID is reused", () => {
    const state = emptyTreeCpuState();
    expect(observeTreeCpu(state, [proc(10, "100", 50n), proc(11, "101", 30n)])).toBe(80n);
    // 11 exits; 10 burns 5 more ticks.
    expect(observeTreeCpu(state, [proc(10, "100", 55n)])).toBe(85n);
    // PID 11 comes back as a new process (another start time) with 2 ticks: added, not a reset.
    expect(observeTreeCpu(state, [proc(10, "100", 55n), proc(11, "900", 2n)])).toBe(87n);
  });
});
