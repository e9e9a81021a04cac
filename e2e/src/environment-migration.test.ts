import { mkdtempSync, rmSync } from "node:fs";
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
import { systemActor } from "@meterplane/db";
import { environmentHostHistory, moveEnvironment } from "@meterplane/fleet";
import {
  aHost,
  anEnvironment,
  aTenant,
  eventually,
  type RunningProcess,
  serviceEnv,
  startWeb,
  startWorker,
  useTestDatabase,
} from "@meterplane/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CollectorRun, startCollector, stateCounter, usageUsec } from "./collector-crash-harness.ts";
import { billedCpu, coreSeconds, slotProblems, storedSamples } from "./installed-collector.ts";

const t = useTestDatabase();
const layout = detectCgroupLayout();
const skip = cgroupSkipReason(layout) ?? (layout.v2 ? undefined : "no cgroup v2 hierarchy (cpu.stat)");
const scratch = mkdtempSync(join(tmpdir(), "environment-migration-"));
const cleanups: (() => unknown)[] = [() => rmSync(scratch, { recursive: true, force: true })];
let web: RunningProcess & { url: string };

beforeAll(async () => {
  if (skip) return;
  const services = serviceEnv(t);
  const [started, worker] = await Promise.all([startWeb(services), startWorker(services)]);
  web = started;
  cleanups.push(
    () => web.stop(),
    () => worker.stop(),
  );
}, 300_000);
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A host's collector (from source), with the host's own credential and state directory. */
function runCollector(name: string, { credential }: { credential: string }): CollectorRun {
  const stateDir = join(scratch, name);
  const collector = startCollector({
    METERPLANE_SERVER: web.url,
    METERPLANE_CREDENTIAL: credential,
    METERPLANE_STATE_DIR: stateDir,
    METERPLANE_TRANSACTIONS_PORT: "0",
    METERPLANE_TRANSACTIONS_SOCKET: join(stateDir, "transactions.sock"),
  });
  cleanups.push(async () => {
    collector.child.kill("SIGTERM");
    await collector.exited;
  });
  return collector;
}

describe.skipIf(skip !== undefined)(
  `an environment moved between hosts${skip ? ` (skipped: ${skip})` : ""}`,
  () => {
    let cgroup: TestCgroup | undefined;
    afterAll(async () => {
      if (cgroup) await destroyTestCgroup(cgroup);
    });

    it("is metered by one host until the instant and the other from it: the kernel's CPU billed to the microsecond, no slot missing or twice", async () => {
      cgroup = createTestCgroup(layout);
      const v2 = layout.v2 as string;
      const tenant = await aTenant(t.db);
      const policy = await t.db.prisma.clientPolicy.create({
        data: { name: `migration-${Date.now()}`, intervalSeconds: 5, meters: ["cpu", "processes"] },
      });
      const a = await aHost(t.db);
      const b = await aHost(t.db);
      // On A before its collector starts, so A's first reading (its baseline) is of the empty cgroup.
      const environment = await anEnvironment(t.db, {
        tenantId: tenant.id,
        hostId: a.host.id,
        kind: "cgroup",
        selector: cgroup.selector,
      });
      await t.db.prisma.host.updateMany({
        where: { id: { in: [a.host.id, b.host.id] } },
        data: { policyId: policy.id },
      });
      const collectorA = runCollector("a", a);
      const collectorB = runCollector("b", b);
      await eventually(
        async () => stateCounter(join(scratch, "a"), `${environment.id}/cpu/`) !== undefined,
        "host A's baseline of the empty cgroup",
        60_000,
      );
      const before = usageUsec(cgroup, v2);
      const burner = spawnInCgroup(
        cgroup,
        "const end = Date.now() + 300000; (function burn() { const until = Date.now() + 30; let x = 0; while (Date.now() < until) x += Math.sqrt(x); if (Date.now() < end) setTimeout(burn, 30); })();",
      );
      const burnerExited = new Promise((resolve) => burner.once("exit", resolve));
      cleanups.push(() => burner.kill("SIGKILL"));

      const { at } = await moveEnvironment({
        db: t.db,
        actor: systemActor,
        tenantId: tenant.id,
        environmentId: environment.id,
        toHostId: b.host.id,
      });
      const untilMs = at.getTime() - Date.now() + 60_000;
      const handedOff = await collectorA.next(
        (line) => line.msg === "environment handed off",
        "A's hand-off",
        untilMs,
      );
      expect(handedOff).toMatchObject({
        environmentId: environment.id,
        until: at.toISOString().replace(".000Z", "Z"),
      });
      await collectorA.next(
        (line) => line.msg === "hand-over delivered",
        "A's hand-over reaching the server",
      );
      const takenOver = await collectorB.next(
        (line) => line.msg === "environment taken over",
        "B's take-over",
        at.getTime() - Date.now() + 120_000,
      );
      // Both collectors read the same cgroup of the same kernel: B continues from A's closing reading.
      expect(takenOver).toMatchObject({ environmentId: environment.id, baselines: "handed over" });
      const shippedAfter = collectorB.lines.length;
      await collectorB.next(
        (line) => line.msg === "batch shipped",
        "B's batch after the take-over",
        30_000,
        shippedAfter,
      );

      burner.kill("SIGTERM");
      await burnerExited;
      const after = usageUsec(cgroup, v2);
      const expected = coreSeconds(after - before);
      const billed = await eventually(
        async () => ((await billedCpu(t.db, environment.id)) === expected ? expected : undefined),
        `the rollups to bill ${expected} core-seconds`,
        60_000,
      ).catch(async () => billedCpu(t.db, environment.id));
      expect(billed).toBe(expected);
      expect(Number(expected)).toBeGreaterThan(1);

      const fromA = (await storedSamples(t.db, a.host.id)).filter((s) => s.environmentId === environment.id);
      const fromB = (await storedSamples(t.db, b.host.id)).filter((s) => s.environmentId === environment.id);
      const end = (s: { start: string; seconds: number }) => Date.parse(s.start) + s.seconds * 1000;
      expect(fromA.filter((s) => end(s) > at.getTime())).toEqual([]);
      expect(fromB.filter((s) => Date.parse(s.start) < at.getTime())).toEqual([]);
      expect(fromA.some((s) => s.meter === "cpu" && end(s) === at.getTime())).toBe(true);
      expect(fromB.some((s) => s.meter === "cpu" && Date.parse(s.start) === at.getTime())).toBe(true);
      const both = [...fromA, ...fromB];
      expect(slotProblems(both, environment.id, "cpu")).toEqual([]);
      expect(slotProblems(both, environment.id, "processes")).toEqual([]);

      const history = await environmentHostHistory({
        db: t.db,
        tenantId: tenant.id,
        environmentId: environment.id,
      });
      expect(history).toMatchObject([
        { hostId: a.host.id, from: null, to: at, handedOverAt: expect.any(Date) },
        { hostId: b.host.id, from: at, to: null },
      ]);
    }, 400_000);
  },
);
