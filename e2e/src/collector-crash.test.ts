import { mkdtempSync, readdirSync, rmSync } from "node:fs";
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
  freePort,
  type RunningProcess,
  serviceEnv,
  startWeb,
  startWorker,
  useTestDatabase,
} from "@meterplane/testing";
import { readStoredBatch } from "@meterplane/wire";
import { afterAll, describe, expect, it } from "vitest";
import {
  type CollectorRun,
  pause,
  poll,
  processState,
  shipped,
  spooled,
  startCollector,
  stateCounter,
  threadsStopped,
  usageUsec,
} from "./collector-crash-harness.ts";

const t = useTestDatabase();
const layout = detectCgroupLayout();
const skip = cgroupSkipReason(layout) ?? (layout.v2 ? undefined : "no cgroup v2 hierarchy (cpu.stat)");
const cleanups: (() => unknown)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Half a core, in 20 ms slices, for as long as it runs: the host has two cores to share with the server. */
const burnerScript = `process.stdout.write("ready\\n");
setInterval(() => { const end = Date.now() + 20; while (Date.now() < end) Math.sqrt(Math.random()); }, 40);`;

describe.skipIf(skip !== undefined)(`the collector under crashes${skip ? ` (skipped: ${skip})` : ""}`, () => {
  it("loses no sample and duplicates none when SIGKILLed while shipping and while the server is down", async () => {
    const cgroup: TestCgroup = createTestCgroup(layout);
    cleanups.push(() => destroyTestCgroup(cgroup));
    const v2 = layout.v2 as string;
    const tenant = await aTenant(t.db);
    const { host, credential } = await aHost(t.db);
    // About eight batches of spool (the policy's size is the one the collector applies): while the server
    // is down the spool fills and merges its older half.
    const policy = await t.db.prisma.clientPolicy.create({
      data: { name: `crash-${host.id}`, intervalSeconds: 1, meters: [], spoolMaxBytes: 16384n },
    });
    await t.db.prisma.host.update({ where: { id: host.id }, data: { policyId: policy.id } });
    const environment = await anEnvironment(t.db, {
      tenantId: tenant.id,
      hostId: host.id,
      kind: "cgroup",
      selector: cgroup.selector,
    });

    // A fixed port: the collector keeps its server URL across the web's restart.
    const port = await freePort();
    const services = serviceEnv(t);
    let web: RunningProcess & { url: string } = await startWeb(services, { port });
    cleanups.push(() => web.stop());
    const worker = await startWorker(services);
    cleanups.push(() => worker.stop());

    // The burner starts stopped, so the kernel's counter stands still until the collector took its baseline.
    const burner = spawnInCgroup(cgroup, burnerScript);
    cleanups.push(() => burner.kill("SIGKILL"));
    await new Promise((resolve) => burner.stdout?.once("data", resolve));
    const burnerPid = burner.pid as number;
    burner.kill("SIGSTOP");
    await eventually(
      async () => processState(burnerPid) === "T" && threadsStopped(burnerPid),
      "the burner to stop",
    );
    // A thread may still be charged a few µs as it parks: take the baseline once the counter stands still.
    let baseline = usageUsec(cgroup, v2);
    await eventually(async () => {
      await pause(200);
      const now = usageUsec(cgroup, v2);
      const still = now === baseline;
      baseline = now;
      return still;
    }, "the cgroup's CPU counter to stand still");

    const stateDir = mkdtempSync(join(tmpdir(), "collector-crash-"));
    cleanups.push(() => rmSync(stateDir, { recursive: true, force: true }));
    const collectorEnv = {
      METERPLANE_SERVER: web.url,
      METERPLANE_CREDENTIAL: credential,
      METERPLANE_STATE_DIR: stateDir,
      METERPLANE_TRANSACTIONS_PORT: "0",
      METERPLANE_TRANSACTIONS_SOCKET: join(stateDir, "transactions.sock"),
      METERPLANE_SPOOL_MAX_BYTES: "16384",
    };
    const runs: CollectorRun[] = [startCollector(collectorEnv)];
    const current = () => runs[runs.length - 1] as CollectorRun;
    cleanups.push(() => current().child.kill("SIGKILL"));
    const cpuKey = `${environment.id}/cpu/`;
    const firstReading = await eventually(
      async () => stateCounter(stateDir, cpuKey),
      "the collector's first cpu reading",
    );
    expect(firstReading).toBe(baseline);
    burner.kill("SIGCONT");

    const kills: string[] = [];
    const crash = async (moment: string) => {
      current().child.kill("SIGKILL");
      await current().exited;
      kills.push(moment);
      runs.push(startCollector(collectorEnv));
    };
    const ack = (what: string) => current().next(shipped, what, 20_000);
    /** Resolves as soon as a tick spools a batch newer than any spooled or shipped so far. */
    const nextSpooled = () => {
      const newest = Math.max(0, ...spooled(stateDir), ...shippedSequences());
      return poll(async () => spooled(stateDir).find((s) => s > newest), "a new batch in the spool");
    };
    const shippedSequences = () =>
      runs.flatMap((run) => run.lines.filter(shipped).map((line) => Number(line.sequence)));
    const storedAt = async (sequence: number) =>
      (
        await t.db.pool.query(`SELECT 1 FROM "BatchKey" WHERE "hostId" = $1 AND "sequence" = $2`, [
          host.id,
          sequence,
        ])
      ).rowCount === 1;

    // Server up: kill right after an acknowledgement, with a POST in flight, and between the server
    // storing a batch and the collector hearing of it (the batch is sent again and must be a duplicate).
    await ack("the first batch shipped");
    await crash("right after 'batch shipped'");
    await ack("shipping after the restart");
    await nextSpooled();
    await pause(Math.random() * 8);
    await crash("POST in flight");
    let storedButUnacknowledged = 0;
    for (let attempt = 0; attempt < 2 && storedButUnacknowledged === 0; attempt++) {
      await ack("shipping after the restart");
      const sequence = await nextSpooled();
      await poll(() => storedAt(sequence), "the server to store the batch").catch(() => undefined);
      await crash("stored by the server, before the acknowledgement");
      if (spooled(stateDir).includes(sequence) && (await storedAt(sequence))) storedButUnacknowledged++;
    }
    await ack("shipping after the restart");
    await pause(Math.random() * 1000);
    await crash("at a random moment");

    // Server down: kill it as a tick's batch goes out, crash the collector meanwhile, restart the server.
    await ack("shipping after the restart");
    await nextSpooled();
    const downAt = Date.now();
    await web.kill();
    await pause(5000);
    await crash("server down");
    await current().next((line) => line.msg === "collector started", "a start on the cached config");
    await pause(downAt + 12_000 - Date.now());
    const piledUp = spooled(stateDir).length;
    web = await startWeb(services, { port });
    const secondsDown = (Date.now() - downAt) / 1000;
    // Its backoff may hold the shipper for a while: crash it mid-backlog, or while it waits.
    await current()
      .next(shipped, "the backlog to start draining", 3000)
      .catch(() => undefined);
    await crash("draining the backlog");

    // The end: the burner stops, the collector reads the final counter, ships it, stops gracefully.
    burner.kill("SIGKILL");
    await new Promise((resolve) => (burner.exitCode === null ? burner.once("exit", resolve) : resolve(0)));
    await pause(200);
    const final = usageUsec(cgroup, v2);
    await eventually(async () => stateCounter(stateDir, cpuKey) === final, "the final reading", 20_000);
    await eventually(async () => spooled(stateDir).length === 0, "the spool to drain", 20_000);
    const lastRun = current();
    await lastRun.next(shipped, "the next tick shipped");
    lastRun.child.kill("SIGTERM");
    expect(await lastRun.exited).toBe(0);
    expect(spooled(stateDir)).toEqual([]);
    expect(readdirSync(join(stateDir, "rejected"))).toEqual([]);
    expect(stateCounter(stateDir, cpuKey)).toBe(final);
    expect(usageUsec(cgroup, v2)).toBe(final);

    await eventually(
      async () =>
        (
          await t.db.pool.query(
            `SELECT 1 FROM "SampleBatch" WHERE "hostId" = $1 AND "aggregatedAt" IS NULL LIMIT 1`,
            [host.id],
          )
        ).rowCount === 0,
      "the worker to aggregate every batch",
    );
    const twice = await t.db.pool.query(
      `SELECT "sequence" FROM "SampleBatch" WHERE "hostId" = $1 GROUP BY 1 HAVING count(*) > 1`,
      [host.id],
    );
    expect(twice.rows).toEqual([]);
    const stored = await t.db.pool.query<{ body: Buffer }>(
      `SELECT body FROM "SampleBatch" WHERE "hostId" = $1`,
      [host.id],
    );
    const cpuValues = stored.rows
      .flatMap((row) => readStoredBatch(row.body).samples)
      .filter((sample) => sample.environmentId === environment.id && sample.meter === "cpu")
      .map((sample) => sample.value);
    const { rows } = await t.db.pool.query<{ rollups: string; batches: string; kernel: string; n: number }>(
      `SELECT
         (SELECT trim_scale(sum("sum"))::text FROM "UsageHourly"
           WHERE "environmentId" = $2 AND "meter" = 'cpu') AS rollups,
         (SELECT trim_scale(sum(value::numeric))::text FROM unnest($4::text[]) AS value) AS batches,
         trim_scale($3::numeric / 1000000)::text AS kernel,
         (SELECT count(*)::int FROM "SampleBatch" WHERE "hostId" = $1) AS n`,
      [host.id, environment.id, (final - baseline).toString(), cpuValues],
    );
    const totals = rows[0] as (typeof rows)[number];
    const logged = (msg: RegExp) => runs.flatMap((run) => run.lines).filter((line) => msg.test(line.msg));
    const duplicates = logged(/^batch shipped$/).filter((line) => line.status === "duplicate").length;
    const respooled = logged(/^re-spooled/).length;
    const merges = logged(/^spool full: merged/).length;
    console.log(
      `collector-crash: kills=${kills.length} (${kills.join("; ")}) storedButUnacknowledged=${storedButUnacknowledged} ` +
        `secondsDown=${secondsDown.toFixed(1)} piledUp=${piledUp} batches=${totals.n} duplicatesAnswered=${duplicates} ` +
        `respooled=${respooled} merges=${merges} cpuKernel=${totals.kernel} cpuRollups=${totals.rollups} cpuBatches=${totals.batches}`,
    );
    expect(totals.rollups).toBe(totals.batches);
    expect(totals.rollups).toBe(totals.kernel);
    expect(kills.length).toBeGreaterThanOrEqual(6);
    expect(piledUp).toBeGreaterThanOrEqual(4);
    expect(merges).toBeGreaterThanOrEqual(1);
    expect(final - baseline).toBeGreaterThan(1_000_000n);
  }, 120_000);
});
