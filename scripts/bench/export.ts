import { readFileSync } from "node:fs";
import { createApiKey } from "@meterplane/access";
import { connectDatabase, ensureSamplePartitions, systemActor } from "@meterplane/db";
import { createScratchDatabase } from "@meterplane/db/migrations";
import { startWeb } from "@meterplane/testing";
import { batchOfFlat, readStoredBatch, type Sample, storedBatchBody } from "@meterplane/wire";
import { ensureWebBuild } from "../lib/web-build.ts";
import { webNodeOptions } from "../lib/web-node-options.ts";

/**
 * Streams 10 million raw samples as NDJSON from /api/v1/samples over real HTTP and reports the throughput
 * and the web server's peak RSS (VmHWM) after a tenth of the range and after all of it, beside a baseline
 * measured in the same run on the same stored batches: this process reading every body out of Postgres,
 * page by page, and decoding it into samples (gunzip, JSON), without filtering, formatting or HTTP; the
 * most an export that reads these batches could do. Needs a built web app (NEXT_DIST_DIR names it;
 * default .next).
 */
const batches = Number(process.env.BENCH_EXPORT_BATCHES ?? 15_625);
// The seed is a fleet of hosts whose collectors each send a batch every 100 s: a sample of each of 8 series
// (every kind of meter, some with dimensions) of each of 8 environments every 10 s, 640 samples a batch,
// near the collector's default of 600, in the series form collectors send since 0.2.0: ~36 KB of JSON
// (~108 KB as the flat samples older collectors sent).
const hosts = 125;
const environmentsPerHost = 8;
const stepsPerBatch = 10;
const stepMs = 10_000;
const series: Pick<Sample, "meter" | "dimensions">[] = [
  { meter: "cpu" },
  { meter: "memory" },
  { meter: "processes" },
  { meter: "open_resources", dimensions: { kind: "file" } },
  { meter: "open_resources", dimensions: { kind: "socket" } },
  { meter: "data_throughput", dimensions: { direction: "read", channel: "disk" } },
  { meter: "data_throughput", dimensions: { direction: "sent", channel: "network" } },
  { meter: "concurrent_users" },
];
const perBatch = environmentsPerHost * series.length * stepsPerBatch;
await ensureWebBuild();
const serverUrl = process.env.MP_PG_SERVER_URL ?? "postgresql://root@127.0.0.1:5432/postgres";
const scratch = await createScratchDatabase(serverUrl);
const db = connectDatabase(scratch.url, { max: 4 });
let web: Awaited<ReturnType<typeof startWeb>> | undefined;
const mb = (bytes: number) => bytes / 1e6;
const rssMb = (pid: number, field: "VmHWM" | "VmRSS") =>
  Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) / 1024;

try {
  const now = Date.now();
  const from = new Date(Math.floor((now - 8 * 3_600_000) / stepMs) * stepMs);
  const to = new Date(now);
  const batchMs = stepsPerBatch * stepMs;
  // A tenth of the range: the first tenth of every host's batches (the seed checks it ends before now).
  const rounds = Math.ceil(batches / hosts);
  const tenthTo = new Date(from.getTime() + Math.ceil(rounds / 10) * batchMs);
  if (from.getTime() + rounds * batchMs > now - 60_000)
    throw new Error("export bench: too many batches for 8 hours");
  const seedStart = performance.now();
  const tenant = (
    await db.pool.query<{ id: string }>(
      `INSERT INTO "Tenant" (id, slug, name, "updatedAt") VALUES (gen_random_uuid(), 'bench', 'Bench', now()) RETURNING id`,
    )
  ).rows[0]!.id;
  const hostIds = (
    await db.pool.query<{ id: string }>(
      `INSERT INTO "Host" (id, name) SELECT gen_random_uuid(), 'bench-' || h FROM generate_series(1, $1) h RETURNING id`,
      [hosts],
    )
  ).rows.map((row) => row.id);
  const environmentsOf = new Map<string, string[]>();
  for (const hostId of hostIds)
    environmentsOf.set(
      hostId,
      (
        await db.pool.query<{ id: string }>(
          `INSERT INTO "Environment" ("tenantId", id, "hostId", name, kind, selector, meters, "updatedAt")
           SELECT $1, gen_random_uuid(), $2, 'bench-' || e, 'process_tree', 'pid:' || e, '{}', now()
             FROM generate_series(1, $3) e RETURNING id`,
          [tenant, hostId, environmentsPerHost],
        )
      ).rows.map((row) => row.id),
    );
  await ensureSamplePartitions(db.pool, from, 3);
  // Batch b comes from host b % hosts, the round-th it sent; it arrives 5 s after its last step ends.
  let tenthSamples = 0;
  const batch = (b: number) => {
    const hostId = hostIds[b % hosts]!;
    const round = Math.floor(b / hosts);
    const samples: Sample[] = [];
    for (let step = 0; step < stepsPerBatch; step++) {
      const startMs = from.getTime() + round * batchMs + step * stepMs;
      const start = new Date(startMs).toISOString();
      for (const environmentId of environmentsOf.get(hostId)!)
        for (const [i, { meter, dimensions }] of series.entries()) {
          const value = `${(b * 31 + step * 7 + i) % 100_000}.125`;
          samples.push({
            environmentId,
            meter,
            start,
            seconds: 10,
            value,
            ...(dimensions && { dimensions }),
          });
        }
      if (startMs < tenthTo.getTime()) tenthSamples += environmentsPerHost * series.length;
    }
    return {
      hostId,
      sequence: round,
      receivedAt: new Date(from.getTime() + (round + 1) * batchMs + 5_000),
      body: storedBatchBody(batchOfFlat({ sequence: round, collectorVersion: "0.2.0", samples })),
    };
  };
  // Bodies are made here while Postgres stores the previous statement's.
  const perStatement = 100;
  let storing: Promise<unknown> = Promise.resolve();
  for (let first = 0; first < batches; first += perStatement) {
    const rows = Array.from({ length: Math.min(perStatement, batches - first) }, (_, i) => batch(first + i));
    await storing;
    storing = db.pool.query(
      `INSERT INTO "SampleBatch" ("receivedAt", "hostId", sequence, "sampleCount", "tenantIds", body)
       SELECT r, h, s, $5, ARRAY[$6::uuid], b FROM unnest($1::timestamptz[], $2::uuid[], $3::bigint[], $4::bytea[]) AS x(r, h, s, b)`,
      [
        rows.map((row) => row.receivedAt),
        rows.map((row) => row.hostId),
        rows.map((row) => row.sequence),
        rows.map((row) => row.body),
        perBatch,
        tenant,
      ],
    );
  }
  await storing;
  await db.pool.query(`ANALYZE "SampleBatch"`);
  const samples = batches * perBatch;
  const stored = (
    await db.pool.query<{ bytes: string }>(`SELECT sum(octet_length(body)) AS bytes FROM "SampleBatch"`)
  ).rows[0]!.bytes;
  console.log(
    `seeded ${samples} samples in ${batches} batches (${mb(Number(stored)).toFixed(0)} MB of gzip bodies) in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
  );

  // Baseline: every stored body read out of Postgres a page at a time, as the export reads them, and decoded.
  const baselineStart = performance.now();
  let baselineSamples = 0;
  let after = { id: "-9223372036854775808", receivedAt: new Date(0) };
  for (;;) {
    const { rows } = await db.pool.query<{ id: string; receivedAt: Date; body: Buffer }>(
      `SELECT id, "receivedAt", body FROM "SampleBatch" WHERE (id, "receivedAt") > ($1, $2)
        ORDER BY id, "receivedAt" LIMIT 256`,
      [after.id, after.receivedAt],
    );
    if (!rows.length) break;
    for (const row of rows) baselineSamples += readStoredBatch(row.body).samples.length;
    after = rows.at(-1)!;
  }
  const baselineSeconds = (performance.now() - baselineStart) / 1000;
  if (baselineSamples !== samples)
    throw new Error(`baseline read ${baselineSamples} samples, expected ${samples}`);

  // The web process runs with production's V8 options (BENCH_WEB_NODE_OPTIONS="" measures V8's defaults).
  const nodeOptions = process.env.BENCH_WEB_NODE_OPTIONS ?? webNodeOptions("");
  web = await startWeb({
    DATABASE_URL: scratch.url,
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    MP_QUEUE_PREFIX: `{mp-bench-export-${process.pid}}`,
    NODE_OPTIONS: nodeOptions,
  });
  const pid = web.child.pid!;
  const { token } = await createApiKey({
    db,
    actor: systemActor,
    tenantId: tenant,
    name: "bench",
    scopes: ["exports:read"],
  });
  const exportRange = async (rangeFrom: Date, rangeTo: Date) => {
    const start = performance.now();
    const response = await fetch(
      `${web!.url}/api/v1/samples?from=${rangeFrom.toISOString()}&to=${rangeTo.toISOString()}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    if (response.status !== 200 || !response.body)
      throw new Error(`export answered ${response.status}: ${await response.text()}`);
    let bytes = 0;
    let lines = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    }
    return { bytes, lines, seconds: (performance.now() - start) / 1000, peak: rssMb(pid, "VmHWM") };
  };
  // Warm the route (first request compiles nothing in production, but loads the route's modules).
  await exportRange(to, new Date(now + 1000));
  const idleRss = rssMb(pid, "VmRSS");
  // A tenth of the range, then all of it: the same peak twice shows memory does not grow with the range.
  const tenth = await exportRange(from, tenthTo);
  const whole = await exportRange(from, to);
  if (tenth.lines !== tenthSamples)
    throw new Error(`exported ${tenth.lines} samples, expected ${tenthSamples}`);
  if (whole.lines !== samples) throw new Error(`exported ${whole.lines} samples, expected ${samples}`);
  const mbPerS = mb(whole.bytes) / whole.seconds;
  // The baseline's rate in the export's unit: the NDJSON of every sample it decoded, in the time it took.
  const baselineMbPerS = mb(whole.bytes) / baselineSeconds;
  console.log(
    `baseline (this process reading the ${batches} stored bodies out of Postgres 256 a query and decoding them; no filtering, formatting or HTTP): ${samples} samples in ${baselineSeconds.toFixed(1)} s = ${Math.round(samples / baselineSeconds)} samples/s, ${baselineMbPerS.toFixed(1)} MB/s of the same NDJSON`,
  );
  console.log(
    `NDJSON over HTTP: ${mb(whole.bytes).toFixed(0)} MB, ${whole.lines} lines in ${whole.seconds.toFixed(1)} s = ${mbPerS.toFixed(1)} MB/s (${Math.round(whole.lines / whole.seconds)} samples/s)`,
  );
  console.log(
    `web server (NODE_OPTIONS="${nodeOptions}") RSS: ${idleRss.toFixed(0)} MB before the exports, peak (VmHWM) ${tenth.peak.toFixed(0)} MB after ${tenth.lines} samples, ${whole.peak.toFixed(0)} MB after ${whole.lines}; goal < 200 MB`,
  );
  console.log(
    `export: samples=${whole.lines} mb_per_s=${mbPerS.toFixed(1)} idle_rss_mb=${idleRss.toFixed(0)} peak_rss_mb_tenth=${tenth.peak.toFixed(0)} peak_rss_mb=${whole.peak.toFixed(0)} baseline_mb_per_s=${baselineMbPerS.toFixed(1)}`,
  );
} finally {
  await web?.stop();
  await db.close();
  await scratch.drop();
}
