import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { detectCgroupLayout } from "@meterplane/collector/cgroup";
import { type BuiltRelease, buildRelease, generateReleaseKey } from "@meterplane/collector/release";
import {
  cgroupSkipReason,
  createTestCgroup,
  destroyTestCgroup,
  spawnInCgroup,
  type TestCgroup,
} from "@meterplane/collector/testing";
import { systemActor } from "@meterplane/db";
import { publishCollectorRelease, setMinimumCollectorVersion } from "@meterplane/fleet";
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
import { spooled, usageUsec } from "./collector-crash-harness.ts";
import { type Supervised, superviseCollector } from "./collector-supervisor.ts";
import {
  billedCpu,
  coreSeconds,
  enrollInstalled,
  installRelease,
  slotProblems,
  storedSamples,
} from "./installed-collector.ts";

const t = useTestDatabase();
const layout = detectCgroupLayout();
const skip = cgroupSkipReason(layout);
const scratch = mkdtempSync(join(tmpdir(), "collector-upgrade-"));
const cleanups: (() => unknown)[] = [() => rmSync(scratch, { recursive: true, force: true })];
let web: RunningProcess & { url: string };
let key: { privateKeyPath: string; publicKey: string; privateKeyPem: string };
const releases: Record<string, BuiltRelease> = {};

beforeAll(async () => {
  const generated = generateReleaseKey(join(scratch, "key"));
  const { readFileSync } = await import("node:fs");
  key = { ...generated, privateKeyPem: readFileSync(generated.privateKeyPath, "utf8") };
  for (const version of ["0.2.0", "0.3.0", "0.4.0"])
    releases[version] = await buildRelease({
      outDir: join(scratch, "dist"),
      privateKeyPem: key.privateKeyPem,
      version,
    });
  const services = serviceEnv(t, { COLLECTOR_RELEASE_PUBLIC_KEY: key.publicKey });
  web = await startWeb(services);
  cleanups.push(() => web.stop());
  const worker = await startWorker(services);
  cleanups.push(() => worker.stop());
}, 180_000);
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A host in a group of its own, its collector installed at 0.2.0, enrolled and running under supervision. */
async function anInstalledHost(
  environment: { kind: "cgroup" | "process_tree"; selector: string },
  supervision: { restartDelayMs?: number } = {},
) {
  const group = `upgrade-${Math.random().toString(36).slice(2, 8)}`;
  const tenant = await aTenant(t.db);
  const { host } = await aHost(t.db, { group });
  const policy = await t.db.prisma.clientPolicy.create({
    data: { name: `upgrade-${host.id}`, intervalSeconds: 5, meters: [] },
  });
  await t.db.prisma.host.update({ where: { id: host.id }, data: { policyId: policy.id } });
  const env = await anEnvironment(t.db, { tenantId: tenant.id, hostId: host.id, ...environment });
  const installDir = join(scratch, `install-${group}`);
  const stateDir = join(scratch, `state-${group}`);
  await installRelease(installDir, releases["0.2.0"]!);
  await enrollInstalled(t.db, { installDir, stateDir, server: web.url, hostId: host.id });
  const collector = superviseCollector(
    installDir,
    {
      METERPLANE_STATE_DIR: stateDir,
      METERPLANE_TRANSACTIONS_PORT: "0",
      METERPLANE_TRANSACTIONS_SOCKET: join(stateDir, "transactions.sock"),
    },
    supervision,
  );
  cleanups.push(() => collector.stop());
  return { group, host, environment: env, installDir, stateDir, collector };
}

async function force(version: string, group: string, tamper = false) {
  const built = releases[version]!;
  await publishCollectorRelease({
    db: t.db,
    actor: systemActor,
    version,
    artifact: { bytes: built.bytes, signature: built.signature },
    releasePublicKey: key.publicKey,
  }).catch((error: { code?: string }) => {
    if (error.code !== "CONFLICT") throw error;
  });
  if (tamper)
    await t.db.pool.query(
      `UPDATE "CollectorRelease" SET artifact = set_byte(artifact, 4000, get_byte(artifact, 4000) # 1) WHERE version = $1`,
      [version],
    );
  await setMinimumCollectorVersion({ db: t.db, actor: systemActor, version, group });
}

const shippedBy = (collector: Supervised, version: string) =>
  collector.next(
    (line) =>
      line.msg === "batch shipped" &&
      collector.lines.some((l) => l.msg === "collector started" && l.version === version),
    `a batch shipped by ${version}`,
    120_000,
  );

describe.skipIf(skip !== undefined)(
  `self-upgrade of an installed collector${skip ? ` (skipped: ${skip})` : ""}`,
  () => {
    let cgroup: TestCgroup | undefined;
    afterAll(async () => {
      if (cgroup) await destroyTestCgroup(cgroup);
    });

    it("keeps the refused batches in its spool, upgrades itself to the forced release, and bills the kernel's CPU to the microsecond with no slot missing, across a restart longer than an interval", async () => {
      cgroup = createTestCgroup(layout);
      const v2 = layout.v2 ?? "";
      // The new version starts 9 s after the old one exits: at least one 5 s tick falls in between.
      const { group, host, environment, stateDir, collector } = await anInstalledHost(
        { kind: "cgroup", selector: cgroup.selector },
        { restartDelayMs: 9000 },
      );
      await collector.next((line) => line.msg === "batch shipped", "the first batch of 0.2.0");
      // The cgroup is empty until now, so the collector's first reading (its baseline) is this one.
      const before = usageUsec(cgroup, v2);
      const burner = spawnInCgroup(
        cgroup,
        "const end = Date.now() + 180000; (function burn() { const until = Date.now() + 40; let x = 0; while (Date.now() < until) x += Math.sqrt(x); if (Date.now() < end) setTimeout(burn, 40); })();",
      );
      const burnerExited = new Promise((resolve) => burner.once("exit", resolve));

      await force("0.3.0", group);
      const refused = await collector.next(
        (line) => line.msg === "shipping paused: the server requires a newer collector",
        "a batch answered 426",
      );
      expect(refused).toMatchObject({ status: 426, code: "UPGRADE_REQUIRED" });
      expect(spooled(stateDir)).toContain(refused.sequence);

      await collector.next((line) => line.msg === "upgrade verified", "the artifact verified", 90_000);
      await collector.next(
        (line) => line.msg === "upgrade restarted",
        "the new version's health check",
        90_000,
      );
      // The refused batch waited in the spool and the new version shipped it.
      const resent = await collector.next(
        (line) => line.msg === "batch shipped" && line.sequence === refused.sequence,
        "the refused batch shipped after the upgrade",
      );
      expect((resent as { generation?: number }).generation).toBeGreaterThan(0);
      await shippedBy(collector, "0.3.0");

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

      const samples = await storedSamples(t.db, host.id);
      expect(new Set(samples.map((s) => s.collectorVersion))).toEqual(new Set(["0.2.0", "0.3.0"]));
      expect(slotProblems(samples, environment.id, "processes")).toEqual([]);
      // The new version metered the slots its slow start missed, from the old one's last tick.
      const resumed = samples.filter(
        (s) =>
          s.environmentId === environment.id && s.meter === "processes" && s.collectorVersion === "0.3.0",
      )[0];
      expect(resumed?.seconds).toBeGreaterThan(5);
      expect(slotProblems(samples, environment.id, "cpu")).toEqual([]);
      expect(collector.exits).toEqual([0]); // one restart, into the new version, and no crash
      expect(await t.db.prisma.host.findUniqueOrThrow({ where: { id: host.id } })).toMatchObject({
        collectorVersion: "0.3.0",
        upgradeState: "restarted",
        upgradeTarget: "0.3.0",
      });
    }, 400_000);
  },
);

describe("a tampered release", () => {
  it("is refused and reported while the collector keeps metering and spooling", async () => {
    const { spawn } = await import("node:child_process");
    const workload = spawn("sleep", ["300"]);
    cleanups.push(() => workload.kill());
    const { group, host, stateDir, collector } = await anInstalledHost({
      kind: "process_tree",
      selector: `pid:${workload.pid}`,
    });
    await collector.next((line) => line.msg === "batch shipped", "the first batch of 0.2.0");
    await force("0.4.0", group, true);
    const failed = await collector.next((line) => line.msg === "upgrade failed", "the refusal", 90_000);
    expect(String(failed.reason)).toMatch(/^refused: artifact SHA-256 [0-9a-f]{64} does not match/);
    const spooledAtRefusal = spooled(stateDir).length;
    await eventually(async () => spooled(stateDir).length >= spooledAtRefusal + 2, "two more ticks spooled");
    expect(collector.exits).toEqual([]);
    const reported = await eventually(async () => {
      const row = await t.db.prisma.host.findUniqueOrThrow({ where: { id: host.id } });
      return row.upgradeState === "failed" ? row : undefined;
    }, "the failure reported to the server");
    expect(reported).toMatchObject({ collectorVersion: "0.2.0", upgradeTarget: "0.4.0" });
    expect(reported.upgradeReason).toMatch(/does not match the release's/);
  }, 200_000);
});
