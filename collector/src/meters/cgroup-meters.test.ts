import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { detectCgroupLayout } from "../cgroup/layout.ts";
import { parseFlatKeyed } from "../cgroup/read.ts";
import type { EnvironmentConfig } from "../environments/scope.ts";
import { silentLogger } from "../log.ts";
import { Sampler } from "../sampler.ts";
import { emptyState } from "../state.ts";
import {
  cgroupPids,
  cgroupSkipReason,
  createTestCgroup,
  destroyTestCgroup,
  spawnInCgroup,
  type TestCgroup,
} from "../testing/cgroup-fixture.ts";
import { toScaled, within } from "../testing/decimal.ts";

const layout = detectCgroupLayout();
const skipReason = cgroupSkipReason(layout);
if (skipReason) console.warn(`cgroup meter tests skipped: ${skipReason}`);

// A child that burns 0.4 s of CPU and exits (its CPU must stay counted), then 1.5 s in the parent, then
// 64 MiB touched and a `sleep` child, so the cgroup holds exactly two processes when we measure.
// Burns are measured in CPU time, not wall time, so a busy test machine does not shrink them.
const burner = `
const { spawn, spawnSync } = require("node:child_process");
spawnSync(process.execPath, ["-e", "const cpu = () => { const u = process.cpuUsage(); return u.user + u.system; }; while (cpu() < 400000) for (let i = 0; i < 1e6; i++);"]);
const cpu = () => { const u = process.cpuUsage(); return u.user + u.system; };
while (cpu() < 1500000) for (let i = 0; i < 1e6; i++);
globalThis.keep = Buffer.alloc(64 * 1024 * 1024, 1);
spawn("sleep", ["120"], { stdio: "ignore" }).on("spawn", () => console.log("ready"));
setInterval(() => {}, 1000);
`;

/** What the kernel says, read by the test itself rather than through the meters. */
function kernelCpuUsec(cg: TestCgroup): bigint {
  const v2 = cg.dirs.find((dir) => layout.v2 && dir.startsWith(layout.v2));
  if (v2) return parseFlatKeyed(readFileSync(join(v2, "cpu.stat"), "utf8")).get("usage_usec") ?? 0n;
  const v1 = cg.dirs.find((dir) => dir.startsWith(layout.v1.cpuacct ?? "\0"));
  return BigInt(readFileSync(join(v1 ?? "", "cpuacct.usage"), "utf8").trim()) / 1000n;
}

function kernelMemory(cg: TestCgroup): bigint {
  const v2 = cg.dirs.find((dir) => layout.v2 && dir.startsWith(layout.v2));
  const hasV2Memory = v2 !== undefined && existsSync(join(v2, "memory.current"));
  const dir = hasV2Memory ? v2 : cg.dirs.find((d) => d.startsWith(layout.v1.memory ?? "\0"));
  const stat = parseFlatKeyed(readFileSync(join(dir ?? "", "memory.stat"), "utf8"));
  const usage = BigInt(
    readFileSync(join(dir ?? "", hasV2Memory ? "memory.current" : "memory.usage_in_bytes"), "utf8").trim(),
  );
  return usage - (stat.get(hasV2Memory ? "inactive_file" : "total_inactive_file") ?? 0n);
}

describe.skipIf(skipReason !== undefined)("cgroup meters against the kernel", () => {
  let cgroup: TestCgroup | undefined;
  afterEach(async () => {
    if (cgroup) await destroyTestCgroup(cgroup);
    cgroup = undefined;
  });

  it("cpu equals the usage_usec delta, processes are exact, memory within 2%", async () => {
    cgroup = createTestCgroup(layout);
    const env: EnvironmentConfig = {
      id: randomUUID(),
      kind: "cgroup",
      selector: cgroup.selector,
      meters: ["cpu", "memory", "processes"],
    };
    const sampler = new Sampler(emptyState(), layout, silentLogger);
    const t0 = 1_800_000_000;

    const first = await sampler.sample([env], t0, 10);
    const kernelBefore = kernelCpuUsec(cgroup);
    expect(first.map((s) => s.meter).sort()).toEqual(["memory", "processes"]); // cpu only sets its baseline

    const child = spawnInCgroup(cgroup, burner);
    await once(child.stdout, "data");
    const samples = await sampler.sample([env], t0 + 10, 10);
    const kernelAfter = kernelCpuUsec(cgroup);
    const memory = kernelMemory(cgroup);
    const pids = cgroupPids(cgroup);

    const byMeter = Object.fromEntries(samples.map((s) => [s.meter, s]));
    const cpu = toScaled(byMeter.cpu?.value ?? "", 6);
    const kernelDelta = kernelAfter - kernelBefore;
    console.info(
      `cpu: meter ${cpu} µs, kernel ${kernelDelta} µs; memory: meter ${byMeter.memory?.value} B, kernel ${memory} B; processes: meter ${byMeter.processes?.value}, kernel ${pids.length}`,
    );
    expect(kernelDelta).toBeGreaterThan(1_800_000n); // the exited child's 0.4 s is in there too
    expect(within(cpu, kernelDelta, 2n)).toBe(true);
    expect(byMeter.processes?.value).toBe(String(pids.length));
    expect(pids.length).toBe(2);
    expect(within(BigInt(byMeter.memory?.value ?? "0"), memory, 2n)).toBe(true);
    expect(memory).toBeGreaterThan(64n * 1024n * 1024n);
    expect(byMeter.cpu).toMatchObject({ start: "2027-01-15T08:00:00Z", seconds: 10 });
  }, 20_000);
});
