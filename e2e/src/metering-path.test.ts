import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { detectCgroupLayout } from "@meterplane/collector/cgroup";
import {
  cgroupSkipReason,
  createTestCgroup,
  destroyTestCgroup,
  spawnInCgroup,
  type TestCgroup,
} from "@meterplane/collector/testing";
import {
  aHost,
  anEnvironment,
  aTenant,
  eventually,
  type RunningProcess,
  repoRoot,
  serviceEnv,
  startWeb,
  startWorker,
  useTestDatabase,
} from "@meterplane/testing";
import { afterAll, describe, expect, it } from "vitest";

const t = useTestDatabase();
const layout = detectCgroupLayout();
const skip = cgroupSkipReason(layout);
const running: RunningProcess[] = [];
let cgroup: TestCgroup | undefined;

afterAll(async () => {
  for (const process of running.reverse()) await process.stop();
  if (cgroup) await destroyTestCgroup(cgroup);
});

function kernelCpuSeconds(group: TestCgroup): number {
  const v2 = group.dirs.find((dir) => layout.v2 && dir.startsWith(layout.v2));
  const stat = readFileSync(join(v2 ?? "", "cpu.stat"), "utf8");
  return Number(/usage_usec (\d+)/.exec(stat)?.[1]) / 1e6;
}

describe.skipIf(skip !== undefined)(`the metering path${skip ? ` (skipped: ${skip})` : ""}`, () => {
  it("carries the CPU a process burns in a cgroup from the kernel to an hourly rollup, within 5%", async () => {
    cgroup = createTestCgroup(layout);
    const tenant = await aTenant(t.db);
    const { host, credential } = await aHost(t.db);
    const policy = await t.db.prisma.clientPolicy.create({
      data: { name: `fast-${host.id}`, intervalSeconds: 1, meters: [] },
    });
    await t.db.prisma.host.update({ where: { id: host.id }, data: { policyId: policy.id } });
    const environment = await anEnvironment(t.db, {
      tenantId: tenant.id,
      hostId: host.id,
      kind: "cgroup",
      selector: cgroup.selector,
    });

    const services = serviceEnv(t);
    const web = await startWeb(services);
    running.push(web, await startWorker(services));
    const { spawn } = await import("node:child_process");
    const collector = spawn(process.execPath, ["--import", "tsx", "collector/src/cli.ts", "run"], {
      cwd: repoRoot,
      env: {
        ...process.env,
        METERPLANE_SERVER: web.url,
        METERPLANE_CREDENTIAL: credential,
        METERPLANE_STATE_DIR: mkdtempSync(join(tmpdir(), "collector-")),
      },
      stdio: "ignore",
    });
    running.push({
      child: collector,
      output: () => "",
      stop: async () => void collector.kill("SIGTERM"),
      kill: async () => void collector.kill("SIGKILL"),
    });

    // The first reading of a counter is its baseline, so burn only once the collector has reported the empty cgroup.
    await eventually(
      async () =>
        (await t.db.prisma.usageHourly.count({
          where: { environmentId: environment.id, meter: "processes" },
        })) > 0,
      "the first rollup",
    );
    const before = kernelCpuSeconds(cgroup);
    // Burn a fixed amount of CPU time, not of wall time: on a busy machine 3 s of wall clock may be 1 s of CPU.
    const burner = spawnInCgroup(
      cgroup,
      "let x = 0; const end = Date.now() + 20000; while (process.cpuUsage().user < 2.5e6 && Date.now() < end) x += Math.sqrt(x);",
    );
    await new Promise((resolve) => burner.once("exit", resolve));
    const burnt = kernelCpuSeconds(cgroup) - before;
    expect(burnt).toBeGreaterThan(2);

    const cpuInRollups = async () => {
      const rows = await t.db.prisma.usageHourly.findMany({
        where: { tenantId: tenant.id, environmentId: environment.id, meter: "cpu" },
      });
      return rows.reduce((total, row) => total + Number(row.sum), 0);
    };
    const metered = await eventually(
      async () => {
        const total = await cpuInRollups();
        return Math.abs(total - burnt) / burnt <= 0.05 ? total : undefined;
      },
      "the rollups to reach the kernel's CPU time",
      30_000,
    ).catch(async () => cpuInRollups());
    expect(Math.abs(metered - burnt) / burnt).toBeLessThanOrEqual(0.05);

    const memory = await t.db.prisma.usageHourly.findFirst({
      where: { environmentId: environment.id, meter: "memory" },
    });
    expect(memory).not.toBeNull();
  });
});
