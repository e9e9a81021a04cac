import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { detectCgroupLayout } from "../cgroup/layout.ts";
import { clockTicksPerSecond, parseProcStat } from "../environments/process-tree.ts";
import type { EnvironmentConfig } from "../environments/scope.ts";
import { silentLogger } from "../log.ts";
import { Sampler } from "../sampler.ts";
import { emptyState } from "../state.ts";
import { toScaled } from "../testing/decimal.ts";

// A parent that starts a child; both burn 0.8 s of CPU; the parent says "ready" once both are done, and
// both then idle until killed.
const parentScript = `
const { spawn } = require("node:child_process");
const child = spawn(process.execPath, ["-e", "const cpu = () => { const u = process.cpuUsage(); return u.user + u.system; }; while (cpu() < 800000) for (let i = 0; i < 1e6; i++); console.log('done'); setInterval(() => {}, 1000)"], { stdio: ["ignore", "pipe", "inherit"] });
const cpu = () => { const u = process.cpuUsage(); return u.user + u.system; };
while (cpu() < 800000) for (let i = 0; i < 1e6; i++);
child.stdout.once("data", () => console.log("ready"));
setInterval(() => {}, 1000);
`;

/** The tree's CPU by another route than the collector's: the kernel's children list per task. */
function procTreeUsec(rootPid: number): { usec: bigint; pids: number[] } {
  const pids = [rootPid];
  for (let i = 0; i < pids.length; i++) {
    const children = readFileSync(`/proc/${pids[i]}/task/${pids[i]}/children`, "utf8").trim();
    if (children) pids.push(...children.split(" ").map(Number));
  }
  let ticks = 0n;
  for (const pid of pids)
    ticks += parseProcStat(pid, readFileSync(`/proc/${pid}/stat`, "utf8"))?.cpuTicks ?? 0n;
  return { usec: (ticks * 1_000_000n) / clockTicksPerSecond(), pids };
}

describe("process_tree meters", () => {
  const spawned: number[] = [];
  afterEach(() => {
    for (const pid of spawned.splice(0)) process.kill(-pid, "SIGKILL");
  });

  it("counts the parent and its child, and at least the CPU /proc reports", async () => {
    const parent = spawn(process.execPath, ["-e", parentScript], {
      stdio: ["ignore", "pipe", "inherit"],
      detached: true,
    });
    spawned.push(parent.pid ?? 0);
    const env: EnvironmentConfig = {
      id: randomUUID(),
      kind: "process_tree",
      selector: `pid:${parent.pid}`,
      meters: ["cpu", "memory", "processes"],
    };
    const sampler = new Sampler(emptyState(), detectCgroupLayout(), silentLogger);

    await sampler.sample([env], 1_800_000_000, 5);
    const before = procTreeUsec(parent.pid ?? 0);
    await once(parent.stdout, "data");
    const after = procTreeUsec(parent.pid ?? 0);
    const samples = await sampler.sample([env], 1_800_000_005, 5);

    const byMeter = Object.fromEntries(samples.map((s) => [s.meter, s.value]));
    const cpu = toScaled(byMeter.cpu ?? "", 6);
    console.info(
      `process tree: cpu meter ${cpu} µs, /proc delta ${after.usec - before.usec} µs, processes ${byMeter.processes}, pss ${byMeter.memory} B`,
    );
    expect(after.pids).toHaveLength(2);
    expect(byMeter.processes).toBe("2");
    expect(cpu).toBeGreaterThanOrEqual(after.usec - before.usec);
    expect(cpu).toBeGreaterThan(1_400_000n); // 1.6 s burnt, less what ran before the baseline
    expect(BigInt(byMeter.memory ?? "0")).toBeGreaterThan(10_000_000n);
  }, 15_000);
});
