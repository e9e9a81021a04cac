import { readFileSync } from "node:fs";
import { pipeline } from "node:stream/promises";
import { connectDatabase, type Database, systemActor } from "@meterplane/db";
import { createScratchDatabase } from "@meterplane/db/migrations";
import { createEnvironment, createHost, issueHostCredential } from "@meterplane/fleet";
import { startWeb, startWorker } from "@meterplane/testing";
import { findRollupDrift, getPipelineBacklog } from "@meterplane/usage";
import { encodeBatch, postBatch, simulatedBatches } from "@meterplane/usage/test";
import { countSamples, dimensionKey, samplesOfSeries } from "@meterplane/wire";
import { from as copyFrom } from "pg-copy-streams";
import { ensureWebBuild } from "../lib/web-build.ts";
import { webNodeOptions } from "../lib/web-node-options.ts";

/**
 * End-to-end ingest throughput: simulated collectors POST gzip batches over HTTP to the built web app
 * (NEXT_DIST_DIR names it; default .next) and the real worker folds them into rollups; the clock stops
 * when the last batch is aggregated; see `rounds` below. Beside it, in the same run and the same Postgres, the baseline: the
 * same samples as plain rows through `COPY … FROM STDIN`, the fastest way into Postgres.
 *
 * Everything shares the machine's cores, the simulated collectors included, so the run also reports the CPU
 * each side used during the timed phase: this client, the web and worker processes, and the Postgres
 * backends serving the scratch database.
 */
const collectors = Number(process.env.BENCH_COLLECTORS ?? 8);
const batchesPerCollector = Number(process.env.BENCH_BATCHES ?? 60);
const environmentsPerHost = 10;
// 10 environments × 3 series × 20 steps = 600 samples per batch. A collector sends one interval per batch
// (about 80–200 samples for 10 environments × 8 meters) and up to 10,000 when it drains a merged spool;
// BENCH_STEPS=7 (210 samples) shows the cost per request at an ordinary interval's size.
const stepsPerBatch = Number(process.env.BENCH_STEPS ?? 20);
// The fleet ships its batches in rounds of under a second each. The processes warm up over the first few
// rounds (their JIT and caches: in a run of ten rounds the first went at 330,000 samples/s, the fifth and later
// at 440,000–640,000, with the CPU per round falling by a third in every process, the simulated collectors
// included), so the first `warmUpRounds` are shown but not counted, and the figures are the (lower) median of
// the others, since one round varies by a fifth on this kind of machine.
const warmUpRounds = 2;
const rounds = Math.max(warmUpRounds + 1, Number(process.env.BENCH_ROUNDS ?? 8));

await ensureWebBuild();
const serverUrl = process.env.MP_PG_SERVER_URL ?? "postgresql://root@127.0.0.1:5432/postgres";
const scratch = await createScratchDatabase(serverUrl, { prefix: "meterplane_bench" });
const db = connectDatabase(scratch.url, { max: 4 });
const services = {
  DATABASE_URL: scratch.url,
  REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  MP_QUEUE_PREFIX: `{mp-bench-pipeline-${process.pid}}`,
  METRICS_PORT: "0",
};
const running: { stop(): Promise<void> }[] = [];

/** CPU seconds (user + system) a process has used so far; 0 once it is gone. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

async function postgresBackends(): Promise<number[]> {
  const { rows } = await db.pool.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database()`,
  );
  return rows.map((row) => row.pid);
}

async function seedCollectors(database: Database) {
  const tenant = await database.prisma.tenant.create({ data: { slug: "bench", name: "Bench" } });
  // Every round's samples lie in the past (10 s a step) and inside the late-data window.
  const from = new Date(Date.now() - rounds * batchesPerCollector * stepsPerBatch * 10_000 - 3600_000);
  const fleet = [];
  // One after another: the fleet functions each hold a transaction, and the pool is small.
  for (let c = 0; c < collectors; c++) {
    fleet.push(
      await (async () => {
        const host = await createHost({ db: database, actor: systemActor, name: `bench-${c}`, group: null });
        const { credential } = await issueHostCredential({
          db: database,
          actor: systemActor,
          hostId: host.id,
        });
        const environmentIds: string[] = [];
        for (let e = 0; e < environmentsPerHost; e++) {
          const environment = await createEnvironment({
            db: database,
            actor: systemActor,
            tenantId: tenant.id,
            hostId: host.id,
            name: `env-${c}-${e}`,
            kind: "process_tree",
            selector: "pid:1",
          });
          environmentIds.push(environment.id);
        }
        const batches = simulatedBatches({
          environmentIds,
          batches: rounds * batchesPerCollector,
          stepsPerBatch,
          from,
        });
        return { tenantId: tenant.id, credential, batches, bodies: batches.map((b) => encodeBatch(b)) };
      })(),
    );
  }
  return fleet;
}

/**
 * Every collector ships its batches of one round one after another, as the real one does; returns ack
 * latencies once all of them are aggregated.
 */
async function ingestOverHttp(url: string, fleet: Awaited<ReturnType<typeof seedCollectors>>, round: number) {
  const latencies: number[] = [];
  await Promise.all(
    fleet.map(async ({ credential, bodies }) => {
      for (const body of bodies.slice(round * batchesPerCollector, (round + 1) * batchesPerCollector)) {
        const posted = await postBatch(url, credential, body);
        if (posted.status !== 202)
          throw new Error(`ingest answered ${posted.status}: ${JSON.stringify(posted.body)}`);
        latencies.push(posted.ms);
      }
    }),
  );
  const acknowledgedAt = performance.now();
  for (;;) {
    if ((await getPipelineBacklog({ db })).batches === 0) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  return { latencies: latencies.sort((a, b) => a - b), acknowledgedAt };
}

/**
 * The same samples as rows of a plain table, through COPY in one stream; the best of three runs, each into
 * a new table, since a single run of a fraction of a second varies by a third on this kind of machine.
 */
async function copyBaseline(fleet: Awaited<ReturnType<typeof seedCollectors>>): Promise<number> {
  const lines: string[] = [];
  for (const { tenantId, batches } of fleet)
    for (const batch of batches)
      for (const s of samplesOfSeries(batch.series))
        lines.push(
          `${tenantId}\t${s.environmentId}\t${s.meter}\t${dimensionKey(s.dimensions)}\t${s.start}\t${s.seconds}\t${s.value}\n`,
        );
  let best = 0;
  for (let run = 1; run <= 3; run++) {
    const table = `bench_copy_${run}`;
    await db.pool.query(
      `CREATE TABLE ${table} ("tenantId" uuid, "environmentId" uuid, meter text, "dimensionKey" text,
         start timestamptz, seconds numeric, value numeric)`,
    );
    const client = await db.pool.connect();
    try {
      const started = performance.now();
      const chunks = (function* () {
        for (let i = 0; i < lines.length; i += 1000) yield lines.slice(i, i + 1000).join("");
      })();
      await pipeline(chunks, client.query(copyFrom(`COPY ${table} FROM STDIN`)));
      best = Math.max(best, lines.length / ((performance.now() - started) / 1000));
    } finally {
      client.release();
    }
  }
  return best;
}

try {
  const fleet = await seedCollectors(db);
  // Each round ships the same number of samples: batches of one size.
  const samples = collectors * batchesPerCollector * countSamples(fleet[0]!.batches[0]!);
  // The web process runs with production's V8 options, as `npm start` runs it.
  const web = await startWeb({ ...services, NODE_OPTIONS: webNodeOptions("") });
  running.push(web);
  const worker = await startWorker(services);
  running.push(worker);
  // Warm up the routes and the pools with one batch (not counted).
  const warm = simulatedBatches({
    environmentIds: [fleet[0]!.batches[0]!.series[0]!.environmentId],
    batches: 1,
    from: new Date(Date.now() - 3600_000),
    firstSequence: 1_000_000,
  });
  await postBatch(web.url, fleet[0]!.credential, encodeBatch(warm[0]!));

  const processes = { web: web.child.pid, worker: worker.child.pid };
  const measured = [];
  for (let round = 0; round < rounds; round++) {
    const cpuBefore = {
      web: cpuSeconds(processes.web),
      worker: cpuSeconds(processes.worker),
      postgres: new Map((await postgresBackends()).map((pid) => [pid, cpuSeconds(pid)])),
    };
    const clientBefore = process.cpuUsage();
    const started = performance.now();
    const { latencies, acknowledgedAt } = await ingestOverHttp(web.url, fleet, round);
    const seconds = (performance.now() - started) / 1000;
    const client = process.cpuUsage(clientBefore);
    const cpu = {
      client: (client.user + client.system) / 1e6,
      web: cpuSeconds(processes.web) - cpuBefore.web,
      worker: cpuSeconds(processes.worker) - cpuBefore.worker,
      postgres: (await postgresBackends()).reduce(
        (total, pid) => total + cpuSeconds(pid) - (cpuBefore.postgres.get(pid) ?? 0),
        0,
      ),
    };
    const ackSeconds = (acknowledgedAt - started) / 1000;
    const share = (s: number) => `${s.toFixed(2)} s (${Math.round((100 * s) / seconds)}% of a core)`;
    console.log(
      `round ${round + 1}: end to end (HTTP gzip → raw batch → rollups committed) ${seconds.toFixed(2)} s, ${Math.round(samples / seconds)} samples/s; last acknowledgement after ${ackSeconds.toFixed(2)} s, rollups caught up ${(seconds - ackSeconds).toFixed(2)} s later; ack p50 ${latencies[Math.floor(latencies.length / 2)]!.toFixed(1)} ms, p99 ${latencies[Math.ceil(latencies.length * 0.99) - 1]!.toFixed(1)} ms`,
    );
    console.log(
      `  CPU: this client (the simulated collectors) ${share(cpu.client)}, web ${share(cpu.web)}, worker ${share(cpu.worker)}, Postgres backends ${share(cpu.postgres)}`,
    );
    measured.push({ e2e: samples / seconds, latencies, cpu });
  }
  const drift = (await findRollupDrift({ db, granularity: "hour" })).length;
  if (drift) throw new Error(`${drift} hourly rollups differ from the raw rows`);
  console.log(`rollups of all ${rounds} rounds match the raw rows`);
  const copy = await copyBaseline(
    fleet.map((c) => ({ ...c, batches: c.batches.slice(0, batchesPerCollector) })),
  );
  const counted = measured.slice(warmUpRounds).sort((a, b) => a.e2e - b.e2e);
  const median = counted[Math.floor((counted.length - 1) / 2)]!;
  const all = counted.flatMap((m) => m.latencies).sort((a, b) => a - b);
  const p99 = all[Math.ceil(all.length * 0.99) - 1]!;
  console.log(
    `${collectors} collectors × ${batchesPerCollector} batches × ${countSamples(fleet[0]!.batches[0]!)} samples = ${samples} samples a round`,
  );
  console.log(
    `end to end, median of rounds ${warmUpRounds + 1}–${rounds}: ${Math.round(median.e2e)} samples/s (warm-up: ${measured
      .slice(0, warmUpRounds)
      .map((m) => Math.round(m.e2e))
      .join(
        ", ",
      )}; best: ${Math.round(counted.at(-1)!.e2e)}); ack p99 over those rounds ${p99.toFixed(1)} ms`,
  );
  console.log(
    `baseline: the same ${samples} samples as rows of an unindexed table through one COPY … FROM STDIN (one transaction, one commit), best of 3: ${Math.round(copy)} rows/s`,
  );
  const { cpu } = median;
  console.log(
    `pipeline: e2e_per_s=${Math.round(median.e2e)} copy_per_s=${Math.round(copy)} ratio=${(median.e2e / copy).toFixed(2)} p99_ack_ms=${p99.toFixed(1)} client_cpu_s=${cpu.client.toFixed(2)} web_cpu_s=${cpu.web.toFixed(2)} worker_cpu_s=${cpu.worker.toFixed(2)} pg_cpu_s=${cpu.postgres.toFixed(2)}`,
  );
} finally {
  for (const process of running.reverse()) await process.stop();
  await db.close();
  await scratch.drop();
}
