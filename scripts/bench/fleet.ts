import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { gunzipSync, gzipSync } from "node:zlib";
import { issueSecret } from "@meterplane/core";
import { connectDatabase, ensureSamplePartitions } from "@meterplane/db";
import { createScratchDatabase } from "@meterplane/db/migrations";
import { freePort, startIngest, startWeb, startWorker } from "@meterplane/testing";
import {
  boundPipelineBacklog,
  findFleetRollupDrift,
  findRollupDrift,
  getPipelineBacklog,
} from "@meterplane/usage";
import { postBatch } from "@meterplane/usage/test";
import { type Batch, type Sample, seriesOfSamples } from "@meterplane/wire";
import { classify } from "../../collector/src/http.ts";
import { copyBaseline } from "../lib/copy-baseline.ts";
import { environmentSeries, environmentsPerHost } from "../lib/fleet-shape.ts";
import { cpuMeter } from "../lib/process-cpu.ts";
import { ensureWebBuild } from "../lib/web-build.ts";
import { ingestNodeOptions, webNodeOptions } from "../lib/web-node-options.ts";

/**
 * A real fleet's shape (DESIGN "The shape of real use"): many hosts, each sending one small batch per 10 s
 * interval (10 environments × 14 series = 140 samples), all on the same wall-clock tick, through simulated
 * collectors that behave like `collector/src/shipper.ts`: one request in flight per host, oldest batch first,
 * gzip, full-jitter exponential backoff that honours Retry-After; they post to ingest's own process, as
 * `npm start` deploys it, and each step's batches are made before its first tick. The fleet is stepped up
 * in size; each step offers `ticks` intervals, then lets collectors and aggregation drain (bounded), and
 * reports offered vs acknowledged vs aggregated samples/s, acknowledgement p50/p99, freshness p99 (acknowledgement to rollups
 * readable, from the worker's histogram), the backlog, and the CPU of each process. A step is stable when
 * no collector fell an interval behind, the backlog drained within the bound, freshness p99 ≤ 60 s, and the
 * machine's CPU for the step (offer and drain) fits in the offer's seconds on its cores: a short step can
 * otherwise pass by spending the drain on what the offer left, which a fleet that never stops cannot do.
 * Stepping stops at the first unstable one. Beside it, COPY of the largest stable step's samples into an
 * unindexed table.
 */
const steps = (process.env.BENCH_FLEET_STEPS ?? "250,500,1000,2000,4000,7000,10000")
  .split(",")
  .map(Number)
  .filter((n) => n > 0);
// Six intervals by default, a quick look; DESIGN's figures use 18, three minutes that outlast aggregation's 40 s
// fold window several times and show its steady state.
const ticks = Number(process.env.BENCH_FLEET_TICKS ?? 6);
const intervalMs = 10_000;
const drainMs = Number(process.env.BENCH_FLEET_DRAIN_MS ?? 45_000);
const series = environmentSeries;
const samplesPerBatch = environmentsPerHost * series.length;

interface SimulatedHost {
  credential: string;
  environmentIds: string[];
  /** The host's batch as JSON text cut at its variable parts (see `batchTemplate`), built once. */
  template?: BatchTemplate;
  sequence: number;
  spool: { body: Buffer; samples: number; tick: number; cutAt: number }[];
  sending: boolean;
  attempt: number;
}

await ensureWebBuild();
const serverUrl = process.env.MP_PG_SERVER_URL ?? "postgresql://root@127.0.0.1:5432/postgres";
const scratch = await createScratchDatabase(serverUrl, { prefix: "meterplane_bench" });
const db = connectDatabase(scratch.url, { max: 4 });
const running: { stop(): Promise<void> }[] = [];

/**
 * Whether any stored batch waits for aggregation, from the oldest waiting one: counting them walked every
 * one, and once a second took 0.3 s of Postgres a look from the drain the bench measures.
 */
const anyWaiting = async () => (await boundPipelineBacklog({ db, limit: Number.POSITIVE_INFINITY })) > 0;

/** Hosts, credentials and environments in three statements: the fleet functions' audit rows would take minutes. */
async function seedFleet(hosts: number): Promise<{ tenantId: string; fleet: SimulatedHost[] }> {
  const { rows: tenants } = await db.pool.query<{ id: string }>(
    `INSERT INTO "Tenant" (id, slug, name, "updatedAt") VALUES (gen_random_uuid(), 'fleet', 'Fleet', now()) RETURNING id`,
  );
  const tenantId = tenants[0]!.id;
  const { rows: hostRows } = await db.pool.query<{ id: string }>(
    `INSERT INTO "Host" (id, name) SELECT gen_random_uuid(), 'fleet-' || h FROM generate_series(1, $1) h RETURNING id`,
    [hosts],
  );
  const secrets = hostRows.map(() => issueSecret("mpc"));
  await db.pool.query(
    `INSERT INTO "HostCredential" (id, "hostId", prefix, "secretHash")
     SELECT gen_random_uuid(), h, p, s FROM unnest($1::uuid[], $2::text[], $3::text[]) AS c(h, p, s)`,
    [hostRows.map((h) => h.id), secrets.map((s) => s.prefix), secrets.map((s) => s.secretHash)],
  );
  const { rows: environments } = await db.pool.query<{ hostId: string; id: string }>(
    `INSERT INTO "Environment" ("tenantId", id, "hostId", name, kind, selector, meters, "updatedAt")
     SELECT $1, gen_random_uuid(), h, 'env-' || h || '-' || e, 'process_tree', 'pid:' || e, '{}', now()
       FROM unnest($2::uuid[]) h, generate_series(1, $3) e
     RETURNING "hostId", id`,
    [tenantId, hostRows.map((h) => h.id), environmentsPerHost],
  );
  const environmentsOf = new Map<string, string[]>();
  for (const { hostId, id } of environments)
    environmentsOf.set(hostId, [...(environmentsOf.get(hostId) ?? []), id]);
  await ensureSamplePartitions(db.pool);
  return {
    tenantId,
    fleet: hostRows.map((h, i) => ({
      credential: secrets[i]!.token,
      environmentIds: environmentsOf.get(h.id)!,
      sequence: 1,
      spool: [],
      sending: false,
      attempt: 0,
    })),
  };
}

/** A sample's value: varies by host sequence, environment and series, so rollups are not all alike. */
const sampleValue = (sequence: number, e: number, i: number) =>
  `${(sequence * 31 + e * 7 + i) % 100_000}.125`;

/** One host's batch for the interval that ends at `tickMs`: a sample of each series of each environment. */
function intervalBatch(host: SimulatedHost, tickMs: number): Batch {
  const start = new Date(tickMs - intervalMs).toISOString();
  const samples: Sample[] = [];
  for (const [e, environmentId] of host.environmentIds.entries())
    for (const [i, { meter, dimensions }] of series.entries())
      samples.push({
        environmentId,
        meter,
        start,
        seconds: intervalMs / 1000,
        value: sampleValue(host.sequence, e, i),
        ...(dimensions ? { dimensions } : {}),
      });
  return { sequence: host.sequence++, collectorVersion: "0.2.0", series: seriesOfSamples(samples) };
}

/**
 * A host's batch JSON cut at its start instants and values: `parts[0]` follows the sequence, and between
 * `parts[k]` and `parts[k + 1]` comes the start (`slots[k] < 0`) or the value of sample `slots[k]`.
 * Filling it is string concatenation, so the simulated fleet costs its own process a fraction of
 * building and stringifying a batch object per host and tick, and leaves the machine to what is measured.
 */
interface BatchTemplate {
  parts: string[];
  slots: number[];
}

function batchTemplate(host: SimulatedHost): BatchTemplate {
  const samples: Sample[] = [];
  for (const [e, environmentId] of host.environmentIds.entries())
    for (const [i, { meter, dimensions }] of series.entries())
      samples.push({
        environmentId,
        meter,
        start: "@@S@@",
        seconds: intervalMs / 1000,
        value: `@@V${e * series.length + i}@@`,
        ...(dimensions ? { dimensions } : {}),
      });
  const json = JSON.stringify({ sequence: 0, collectorVersion: "0.2.0", series: seriesOfSamples(samples) });
  const pieces = json.slice('{"sequence":0'.length).split(/@@(S|V\d+)@@/);
  return {
    parts: pieces.filter((_, k) => k % 2 === 0),
    slots: pieces.filter((_, k) => k % 2 === 1).map((slot) => (slot === "S" ? -1 : Number(slot.slice(1)))),
  };
}

/** `intervalBatch`, gzip-compressed (level 1, as cheap as compression gets), through the host's template. */
function intervalBody(host: SimulatedHost, tickMs: number): Buffer {
  host.template ??= batchTemplate(host);
  const { parts, slots } = host.template;
  const start = new Date(tickMs - intervalMs).toISOString();
  const sequence = host.sequence++;
  let json = `{"sequence":${sequence}${parts[0]}`;
  for (let k = 0; k < slots.length; k++) {
    const slot = slots[k]!;
    json +=
      (slot < 0 ? start : sampleValue(sequence, Math.floor(slot / series.length), slot % series.length)) +
      parts[k + 1];
  }
  return gzipSync(json, { level: 1 });
}

/** The worker's Prometheus text, as Prometheus would scrape it. */
async function scrape(url: string): Promise<string> {
  return (await fetch(url)).text();
}

function metricValue(text: string, name: string): number {
  return Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? 0);
}

function histogram(text: string, name: string): { le: number; count: number }[] {
  return [...text.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`, "gm"))].map((m) => ({
    le: m[1] === "+Inf" ? Number.POSITIVE_INFINITY : Number(m[1]),
    count: Number(m[2]),
  }));
}

/** The q-quantile of the observations between two scrapes, interpolated within its bucket. */
function quantileBetween(before: string, after: string, name: string, q: number): number {
  const a = histogram(before, name);
  const b = histogram(after, name).map((bucket, i) => ({
    ...bucket,
    count: bucket.count - (a[i]?.count ?? 0),
  }));
  const total = b.at(-1)?.count ?? 0;
  if (!total) return 0;
  let lower = 0;
  let below = 0;
  for (const { le, count } of b) {
    if (count >= q * total) {
      if (!Number.isFinite(le)) return lower;
      return lower + ((le - lower) * (q * total - below)) / Math.max(1, count - below);
    }
    lower = le;
    below = count;
  }
  return lower;
}

const percentile = (sorted: number[], q: number) =>
  sorted[Math.max(0, Math.ceil(sorted.length * q) - 1)] ?? 0;

try {
  const largest = Math.max(...steps);
  const seedStarted = performance.now();
  const { tenantId, fleet } = await seedFleet(largest);
  console.log(
    `seeded ${largest} hosts × ${environmentsPerHost} environments × ${series.length} series in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`,
  );
  // The server's settings decide much of what a fleet costs it (see DESIGN, "Postgres for a fleet").
  const { rows: settings } = await db.pool.query<{ name: string; value: string }>(
    `SELECT name, current_setting(name) AS value FROM pg_settings
      WHERE name IN ('shared_buffers', 'max_wal_size', 'checkpoint_timeout', 'wal_compression', 'synchronous_commit', 'autovacuum')
      ORDER BY name`,
  );
  console.log(`Postgres: ${settings.map((s) => `${s.name}=${s.value}`).join(", ")}`);
  // The listen queue ingest gets (Linux cuts server.mjs's backlog to it): every host connects at the first tick.
  console.log(`net.core.somaxconn=${readFileSync("/proc/sys/net/core/somaxconn", "utf8").trim()}`);
  // The template must put on the wire exactly what stringifying the batch would.
  const probeTick = Math.ceil(Date.now() / intervalMs) * intervalMs;
  if (
    gunzipSync(intervalBody({ ...fleet[0]! }, probeTick)).toString("utf8") !==
    JSON.stringify(intervalBatch({ ...fleet[0]! }, probeTick))
  )
    throw new Error("the batch template differs from the batch it stands for");
  const metricsPort = await freePort();
  const services = {
    DATABASE_URL: scratch.url,
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    MP_QUEUE_PREFIX: `{mp-bench-fleet-${process.pid}}`,
  };
  const web = await startWeb({ ...services, NODE_OPTIONS: webNodeOptions(""), METRICS_PORT: "0" });
  running.push(web);
  // Collectors post to ingest's own process, as `npm start` deploys it.
  const ingest = await startIngest(
    { ...services, NODE_OPTIONS: ingestNodeOptions(""), METRICS_PORT: "0" },
    web.url,
  );
  running.push(ingest);
  const worker = await startWorker({
    ...services,
    METRICS_PORT: String(metricsPort),
    SWEEP_EVERY_MS: "10000",
    SWEEP_AFTER_MS: "30000",
    // The production default (the test harness shortens it); set it to 0 to measure without the window.
    AGGREGATE_FOLD_WINDOW_MS: process.env.AGGREGATE_FOLD_WINDOW_MS ?? "40000",
  });
  running.push(worker);
  const workerMetrics = `http://127.0.0.1:${metricsPort}/metrics`;

  let acknowledged: { samples: number; ms: number[]; sinceCut: number[][] } = {
    samples: 0,
    ms: [],
    sinceCut: [],
  };
  let refused: Error | undefined;
  /** Ships a host's spool, oldest first, one request at a time, as the collector's shipper does. */
  function ship(host: SimulatedHost) {
    const entry = host.spool[0];
    if (host.sending || !entry) return;
    host.sending = true;
    void postBatch(ingest.url, host.credential, entry.body).then(
      (posted) => {
        host.sending = false;
        if (posted.status === 202) {
          host.spool.shift();
          host.attempt = 0;
          acknowledged.samples += entry.samples;
          acknowledged.ms.push(posted.ms);
          acknowledged.sinceCut[entry.tick]?.push(performance.now() - entry.cutAt);
          return ship(host);
        }
        // Retried exactly when the collector retries (408, 429, 5xx); an overloaded server answered 408.
        if (classify({ status: posted.status }) !== "retry") {
          // The bench is wrong, not the server: stop at the end of the step (and stop what it started).
          refused ??= new Error(`ingest refused a batch: ${posted.status} ${JSON.stringify(posted.body)}`);
          return;
        }
        retryLater(host, Number(posted.retryAfter ?? 0) * 1000);
      },
      () => {
        host.sending = false;
        retryLater(host, 0);
      },
    );
  }
  /** Full-jitter exponential backoff from 1 s (collector/src/http.ts `backoffMs`), never before Retry-After. */
  function retryLater(host: SimulatedHost, retryAfterMs: number) {
    const backoff = Math.random() * Math.min(300_000, 1000 * 2 ** host.attempt++);
    setTimeout(() => ship(host), Math.max(retryAfterMs, backoff));
  }

  const results = [];
  for (const hosts of steps) {
    const active = fleet.slice(0, hosts);
    // The step's batches are made (filled in and gzipped) before its first tick: a real fleet's collectors
    // do that on their own hosts, so at each tick the simulator only sends, and the CPU it leaves is the
    // system's. Making a tick's batches for 6,000 hosts took the simulator's one thread about 2 s.
    const made = performance.now();
    // About 0.5 ms a batch on one core; the first tick leaves room for more.
    const firstTick = Math.ceil((Date.now() + 2000 + hosts * ticks * 0.8) / intervalMs) * intervalMs;
    const bodies = active.map((host) =>
      Array.from({ length: ticks }, (_, tick) => intervalBody(host, firstTick + tick * intervalMs)),
    );
    if (Date.now() > firstTick)
      throw new Error("making the step's batches outlasted the wait for its first tick");
    console.log(`  ${hosts * ticks} batches made in ${((performance.now() - made) / 1000).toFixed(1)} s`);
    await new Promise((r) => setTimeout(r, firstTick - Date.now() - 500));
    const scrapeBefore = await scrape(workerMetrics);
    const cpu = await cpuMeter(db, { ingest: ingest.child.pid, worker: worker.child.pid });
    acknowledged = { samples: 0, ms: [], sinceCut: Array.from({ length: ticks }, () => []) };
    const offered = hosts * samplesPerBatch * ticks;
    // Every host cuts its batch on the same wall-clock tick; the step is timed from the first.
    const started = performance.now() + (firstTick - Date.now());
    let spoolPeak = 0;
    let backlogAtEnd = 0;
    for (let tick = 0; tick < ticks; tick++) {
      const tickMs = firstTick + tick * intervalMs;
      await new Promise((r) => setTimeout(r, tickMs - Date.now()));
      for (const [h, host] of active.entries()) {
        host.spool.push({
          body: bodies[h]![tick]!,
          samples: samplesPerBatch,
          tick,
          cutAt: performance.now(),
        });
        ship(host);
      }
      spoolPeak = Math.max(spoolPeak, ...active.map((h) => h.spool.length));
    }
    await new Promise((r) => setTimeout(r, intervalMs));
    const offeredSeconds = (performance.now() - started) / 1000;
    const unacknowledged = active.reduce((n, h) => n + h.spool.length, 0);
    backlogAtEnd = (await getPipelineBacklog({ db })).batches;
    const ackedInOffer = acknowledged.samples;
    const scrapeAtEnd = await scrape(workerMetrics);
    // Drain (bounded): what the collectors still hold, then what aggregation still owes.
    const drainDeadline = performance.now() + drainMs;
    while (performance.now() < drainDeadline) {
      const spooled = active.some((h) => h.spool.length);
      if (!spooled && !(await anyWaiting())) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const drained = !active.some((h) => h.spool.length) && !(await anyWaiting());
    const scrapeAfter = await scrape(workerMetrics);
    const used = await cpu();
    const seconds = (performance.now() - started) / 1000;
    const aggregatedInOffer =
      metricValue(scrapeAtEnd, "mp_aggregated_samples_total") -
      metricValue(scrapeBefore, "mp_aggregated_samples_total");
    const ms = acknowledged.ms.sort((a, b) => a - b);
    const result = {
      hosts,
      offeredPerS: offered / offeredSeconds,
      ackedPerS: ackedInOffer / offeredSeconds,
      aggregatedPerS: aggregatedInOffer / offeredSeconds,
      ackP50: percentile(ms, 0.5),
      ackP99: percentile(ms, 0.99),
      freshnessP99: quantileBetween(scrapeBefore, scrapeAfter, "mp_rollup_freshness_seconds", 0.99),
      pickupP99: quantileBetween(scrapeBefore, scrapeAfter, "mp_aggregation_pickup_seconds", 0.99),
      rollupsPerS:
        (metricValue(scrapeAtEnd, "mp_aggregated_rollups_total") -
          metricValue(scrapeBefore, "mp_aggregated_rollups_total")) /
        offeredSeconds,
      samples: offered,
      // The machine's CPU for the step's samples, offer and drain, per second of offer: what keeping this rate
      // up would take. Over 1 core per core, the step held only by spending the drain on what the offer left.
      coresToSustain: used.machine! / offeredSeconds,
      stable: false,
    };
    result.stable =
      drained &&
      spoolPeak <= 2 &&
      result.freshnessP99 <= 60 &&
      result.coresToSustain <= availableParallelism();
    results.push(result);
    // A collector's view: from the tick that cut a batch to its acknowledgement, retries included.
    const sinceCutP99 = acknowledged.sinceCut.map(
      (ms) =>
        percentile(
          ms.sort((x, y) => x - y),
          0.99,
        ) / 1000,
    );
    console.log(
      `  acknowledged after the tick that cut the batch, p99 by tick: ${sinceCutP99.map((s) => `${s.toFixed(1)} s`).join(", ")}`,
    );
    const share = (s: number) => `${s.toFixed(1)} s (${Math.round((100 * s) / seconds)}%)`;
    console.log(
      `${hosts} hosts (${Math.round(result.offeredPerS)} samples/s offered over ${offeredSeconds.toFixed(0)} s): acknowledged ${Math.round(result.ackedPerS)}/s, aggregated ${Math.round(result.aggregatedPerS)}/s (${Math.round(result.rollupsPerS)} rollup rows/s); ack p50 ${result.ackP50.toFixed(0)} ms, p99 ${result.ackP99.toFixed(0)} ms; freshness p99 ${result.freshnessP99.toFixed(1)} s (of it reaching the worker p99 ${result.pickupP99.toFixed(1)} s); at the end of the offer ${unacknowledged} batches unacknowledged (deepest spool ${spoolPeak}), ${backlogAtEnd} unaggregated; ${drained ? "drained" : `not drained within ${drainMs / 1000} s`} → ${result.stable ? "stable" : "NOT stable"}`,
    );
    console.log(
      `  CPU over ${seconds.toFixed(0)} s: simulated collectors ${share(used.client!)}, ingest ${share(used.ingest!)}, worker ${share(used.worker!)}, Postgres ${share(used.postgres!)}; the whole machine ${(used.machine! / seconds).toFixed(2)} of its ${availableParallelism()} cores; keeping this rate up would take ${result.coresToSustain.toFixed(2)} cores (the step's CPU over the offer's ${offeredSeconds.toFixed(0)} s)`,
    );
    const groups =
      metricValue(scrapeAtEnd, "mp_aggregation_statement_seconds_count") -
      metricValue(scrapeBefore, "mp_aggregation_statement_seconds_count");
    const groupSeconds =
      metricValue(scrapeAtEnd, "mp_aggregation_statement_seconds_sum") -
      metricValue(scrapeBefore, "mp_aggregation_statement_seconds_sum");
    console.log(
      `  ${groups} aggregation groups by the end of the offer, ${(groupSeconds / Math.max(1, groups)).toFixed(1)} s each on average`,
    );
    // What the worker warned of (a failed group, a job that failed): the first place to look at a stall.
    const warnings = worker
      .output()
      .split("\n")
      .filter((line) => /"level":(40|50|60)/.test(line));
    for (const line of warnings.slice(-5)) console.log(`  worker: ${line.slice(0, 400)}`);
    if (refused) throw refused;
    if (!result.stable) break;
  }
  // The drift check is meaningful once every acknowledged batch is aggregated: let the last step finish.
  const settleDeadline = performance.now() + 300_000;
  while (fleet.some((h) => h.spool.length) || (await anyWaiting())) {
    if (performance.now() > settleDeadline) throw new Error("the pipeline did not drain within 5 minutes");
    await new Promise((r) => setTimeout(r, 500));
  }
  const drift = [
    ...(await findRollupDrift({ db, granularity: "hour" })),
    ...(await findRollupDrift({ db, granularity: "day" })),
    ...(await findFleetRollupDrift({ db })),
  ].length;
  if (drift)
    throw new Error(
      `${drift} rollups differ from a recomputation from the raw batches or the series rollups`,
    );
  console.log(
    "every rollup equals a recomputation from the raw batches, every fleet rollup Σ of the series'",
  );
  const best = results.filter((r) => r.stable).at(-1);
  const copyHosts = fleet.slice(0, best?.hosts ?? steps[0]);
  const copy = await copyBaseline(
    db,
    [
      {
        tenantId,
        batches: (function* () {
          for (const host of copyHosts)
            for (let t = 0; t < ticks; t++) yield intervalBatch({ ...host }, Date.now() - t * intervalMs);
        })(),
      },
    ],
    2,
  );
  console.log(
    `baseline: the same samples through one COPY into an unindexed table, best of 2: ${Math.round(copy)} rows/s`,
  );
  // A stable step acknowledged what was offered and aggregated all of it within the bounds: its acknowledged
  // rate is the rate the pipeline sustained. (Aggregated during the offer alone undercounts a fold window.)
  const sustained = best?.ackedPerS ?? 0;
  console.log(
    `fleet: hosts=${best?.hosts ?? 0} samples_per_s=${Math.round(sustained)} copy_per_s=${Math.round(copy)} ratio=${(sustained / copy).toFixed(2)} freshness_p99_s=${(best?.freshnessP99 ?? 0).toFixed(1)} ack_p99_ms=${(best?.ackP99 ?? 0).toFixed(0)}`,
  );
} finally {
  for (const process of running.reverse()) await process.stop();
  await db.close();
  await scratch.drop();
}
