import { existsSync, readFileSync } from "node:fs";
import { createApiKey } from "@meterplane/access";
import { connectDatabase, ensureSamplePartitions } from "@meterplane/db";
import { createScratchDatabase } from "@meterplane/db/migrations";
import { systemActor } from "@meterplane/fleet";
import { repoRoot, startWeb } from "@meterplane/testing";
import { to as copyTo } from "pg-copy-streams";
import { webNodeOptions } from "../lib/web-node-options.ts";

/**
 * Streams 10 million raw samples as NDJSON from /api/v1/samples over real HTTP and reports the throughput
 * and the web server's peak RSS (VmHWM) after a tenth of the range and after all of it, beside Postgres' own `COPY (SELECT …) TO STDOUT` of the same
 * sample JSON in the same run: the most a server that reads these batches could send. Needs a built web
 * app (NEXT_DIST_DIR names it; default .next).
 */
const batches = Number(process.env.BENCH_EXPORT_BATCHES ?? 1000);
const perBatch = 10_000;
const distDir = process.env.NEXT_DIST_DIR ?? ".next";
if (!existsSync(`${repoRoot}apps/web/${distDir}/BUILD_ID`)) {
  console.error(`export bench: build the web app first (apps/web/${distDir} has no BUILD_ID)`);
  process.exit(2);
}
const serverUrl = process.env.MP_PG_SERVER_URL ?? "postgresql://root@127.0.0.1:5432/postgres";
const scratch = await createScratchDatabase(serverUrl);
const db = connectDatabase(scratch.url, { max: 4 });
let web: Awaited<ReturnType<typeof startWeb>> | undefined;
const mb = (bytes: number) => bytes / 1e6;
const rssMb = (pid: number, field: "VmHWM" | "VmRSS") =>
  Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) / 1024;

try {
  const now = Date.now();
  const from = new Date(now - 26 * 3_600_000);
  const to = new Date(now);
  const seedStart = performance.now();
  const tenant = (
    await db.pool.query<{ id: string }>(
      `INSERT INTO "Tenant" (id, slug, name, "updatedAt") VALUES (gen_random_uuid(), 'bench', 'Bench', now()) RETURNING id`,
    )
  ).rows[0]!.id;
  const host = (
    await db.pool.query<{ id: string }>(
      `INSERT INTO "Host" (id, name) VALUES (gen_random_uuid(), 'bench') RETURNING id`,
    )
  ).rows[0]!.id;
  const environment = (
    await db.pool.query<{ id: string }>(
      `INSERT INTO "Environment" ("tenantId", id, "hostId", name, kind, selector, meters, "updatedAt")
       VALUES ($1, gen_random_uuid(), $2, 'bench', 'process_tree', 'pid:1', '{}', now()) RETURNING id`,
      [tenant, host],
    )
  ).rows[0]!.id;
  await ensureSamplePartitions(db.pool, from, 3);
  // Batches as ingest stores them (one jsonb array each), generated inside Postgres; two statements at a
  // time to use both cores. Sample starts spread over the 24 hours before the batch arrived.
  const seed = (first: number, last: number) =>
    db.pool.query(
      `INSERT INTO "SampleBatch" ("receivedAt", "hostId", sequence, "sampleCount", samples)
       SELECT $4::timestamptz, $1, b, $5, (
         SELECT jsonb_agg(jsonb_build_object(
                  'tenantId', $2::text, 'environmentId', $3::text, 'meter', 'cpu',
                  'start', to_char(($4::timestamptz - interval '24 hours' + ((b - 1) * $5 + s) * interval '8 ms')
                                     AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                  'seconds', 10, 'value', (s % 1000)::text || '.125', 'dimensionKey', ''))
           FROM generate_series(1, $5) s WHERE b > 0)
       FROM generate_series($6::int, $7::int) b`,
      [host, tenant, environment, new Date(now - 3_600_000), perBatch, first, last],
    );
  const chunk = 50;
  const starts = Array.from({ length: Math.ceil(batches / chunk) }, (_, i) => i * chunk + 1);
  for (let i = 0; i < starts.length; i += 2)
    await Promise.all(starts.slice(i, i + 2).map((s) => seed(s, Math.min(s + chunk - 1, batches))));
  await db.pool.query(`ANALYZE "SampleBatch"`);
  const samples = batches * perBatch;
  console.log(
    `seeded ${samples} samples in ${batches} batches in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
  );

  // Baseline: Postgres alone streaming every sample's JSON out of the same batches.
  const client = await db.pool.connect();
  const baselineStart = performance.now();
  let baselineBytes = 0;
  await new Promise<void>((resolve, reject) => {
    const stream = client.query(
      copyTo(`COPY (SELECT s::text FROM "SampleBatch" b, jsonb_array_elements(b.samples) s) TO STDOUT`),
    );
    stream.on("data", (chunk: Buffer) => {
      baselineBytes += chunk.length;
    });
    stream.on("end", () => resolve());
    stream.on("error", reject);
  });
  client.release();
  const baselineSeconds = (performance.now() - baselineStart) / 1000;
  const baselineMbPerS = mb(baselineBytes) / baselineSeconds;
  console.log(
    `baseline COPY TO STDOUT: ${mb(baselineBytes).toFixed(0)} MB in ${baselineSeconds.toFixed(1)} s = ${baselineMbPerS.toFixed(1)} MB/s`,
  );

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
  // Sample k (from 1) of the seed starts at arrival - 24 h + k × 8 ms.
  const tenthTo = new Date(now - 25 * 3_600_000 + (samples / 10 + 1) * 8);
  const tenth = await exportRange(from, tenthTo);
  const whole = await exportRange(from, to);
  if (tenth.lines !== samples / 10)
    throw new Error(`exported ${tenth.lines} samples, expected ${samples / 10}`);
  if (whole.lines !== samples) throw new Error(`exported ${whole.lines} samples, expected ${samples}`);
  const mbPerS = mb(whole.bytes) / whole.seconds;
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
