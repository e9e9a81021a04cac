import { scanSeries } from "@meterplane/alerts";
import { createSeriesState, detectorSettings, scorePoint } from "@meterplane/anomaly";
import { connectDatabase } from "@meterplane/db";
import { createScratchDatabase } from "@meterplane/db/migrations";
import { cpuMeter } from "../lib/process-cpu.ts";

/**
 * The worker's anomaly scan at fleet scale: `environments` environments × 8 meters, each series' hourly
 * rollup grown by a minute of 10 s samples before each scan, as aggregation grows it between the worker's
 * one-a-minute scans. The first scan creates every series' state; the later ones are the steady state.
 * Reports series scored a second and CPU per series (this process, which is the worker's code, and
 * Postgres), beside the baseline: the detector alone scoring the same points in memory on one core.
 */
const environments = Number(process.env.BENCH_SCAN_ENVIRONMENTS ?? 10_000);
const scans = Number(process.env.BENCH_SCAN_ROUNDS ?? 4);
const meters = [
  "cpu",
  "memory",
  "processes",
  "open_files",
  "open_resources",
  "transactions",
  "users",
  "data",
];
const series = environments * meters.length;
const minute = 60_000;
const hour = 60 * minute;

const serverUrl = process.env.MP_PG_SERVER_URL ?? "postgresql://root@127.0.0.1:5432/postgres";
const scratch = await createScratchDatabase(serverUrl, { prefix: "meterplane_bench" });
const db = connectDatabase(scratch.url, { max: 8 });

/** A series' mean over the minute before scan `k`: its own level, a slow wave and some jitter. */
const valueAt = (s: number, k: number) =>
  100 + (s % 97) + 10 * Math.sin(k / 7 + s) + ((s * 31 + k * 17) % 13) / 10;

try {
  // Ten minutes into the hour, so the scans stay within it.
  const start = Math.floor(Date.now() / hour) * hour - hour + 10 * minute;
  const hourStart = new Date(Math.floor(start / hour) * hour);
  const { rows: tenants } = await db.pool.query<{ id: string }>(
    `INSERT INTO "Tenant" (id, slug, name, "updatedAt") VALUES (gen_random_uuid(), 'scan', 'Scan', now()) RETURNING id`,
  );
  const tenantId = tenants[0]!.id;
  await db.pool.query(`INSERT INTO "Host" (id, name) VALUES (gen_random_uuid(), 'scan')`);
  await db.pool.query(
    `INSERT INTO "Environment" ("tenantId", id, "hostId", name, kind, selector, meters, "updatedAt")
     SELECT $1, gen_random_uuid(), (SELECT id FROM "Host"), 'env-' || e, 'process_tree', 'pid:' || e, '{}', now()
       FROM generate_series(1, $2) e`,
    [tenantId, environments],
  );
  await db.pool.query(
    `INSERT INTO "UsageHourly" ("tenantId", "environmentId", meter, "dimensionKey", "bucketStart", sum, count,
                                min, max, last, "lastAt", integral, seconds)
     SELECT $1, e.id, m, '', $2, 0, 0, 0, 0, 0, $2, 0, 0
       FROM "Environment" e, unnest($3::text[]) m`,
    [tenantId, hourStart, meters],
  );
  const { rows: keys } = await db.pool.query<{ environmentId: string; meter: string }>(
    `SELECT "environmentId", meter FROM "UsageHourly" ORDER BY "environmentId", meter`,
  );
  console.log(`seeded ${environments} environments × ${meters.length} meters = ${series} series`);

  /** Grows every series' hour by six 10 s samples whose mean is the series' value for scan `k`. */
  async function growHours(k: number) {
    await db.pool.query(
      `UPDATE "UsageHourly" h SET sum = h.sum + 6 * x.v, count = h.count + 6, "lastAt" = $3
         FROM unnest($1::uuid[], $2::text[], $4::numeric[]) AS x(e, m, v)
        WHERE h."environmentId" = x.e AND h.meter = x.m`,
      [
        keys.map((r) => r.environmentId),
        keys.map((r) => r.meter),
        new Date(start + k * minute),
        keys.map((_, s) => valueAt(s, k).toFixed(6)),
      ],
    );
    await db.pool.query(`VACUUM ANALYZE "UsageHourly"`);
  }

  const measured = [];
  for (let k = 0; k < scans; k++) {
    await growHours(k);
    const cpu = await cpuMeter(db, {});
    const began = performance.now();
    const scan = await scanSeries({ db, now: new Date(start + k * minute + 1000) });
    const seconds = (performance.now() - began) / 1000;
    const used = await cpu();
    if (scan.series !== series || scan.points !== series)
      throw new Error(`scan ${k} scored ${scan.points} points of ${scan.series} series, not ${series}`);
    measured.push({ seconds, worker: used.client!, postgres: used.postgres! });
    console.log(
      `scan ${k + 1}${k === 0 ? " (creates the states)" : ""}: ${series} series in ${seconds.toFixed(1)} s = ${Math.round(series / seconds)} series/s; CPU per series: worker ${((used.client! / series) * 1e6).toFixed(0)} µs, Postgres ${((used.postgres! / series) * 1e6).toFixed(0)} µs`,
    );
  }

  // Baseline: the detector alone over the same points, states in memory, on this one core.
  const states = keys.map(() => createSeriesState());
  const began = performance.now();
  for (let k = 0; k < scans; k++)
    for (let s = 0; s < series; s++)
      scorePoint(states[s]!, start + k * minute, valueAt(s, k), detectorSettings);
  const baselinePerS = (series * scans) / ((performance.now() - began) / 1000);
  const steady = measured.slice(1);
  const total = (f: (m: (typeof measured)[number]) => number) => steady.reduce((a, m) => a + f(m), 0);
  const seriesPerS = (series * steady.length) / total((m) => m.seconds);
  const workerUs = (total((m) => m.worker) / (series * steady.length)) * 1e6;
  const postgresUs = (total((m) => m.postgres) / (series * steady.length)) * 1e6;
  console.log(
    `steady scans: ${Math.round(seriesPerS)} series/s (worker ${workerUs.toFixed(0)} µs + Postgres ${postgresUs.toFixed(0)} µs of CPU a series); baseline, the detector alone in memory: ${Math.round(baselinePerS)} points/s`,
  );
  console.log(
    `A fleet of ${series} series scanned once a minute needs ${Math.round(series / 60)} series/s: ${((series / 60 / seriesPerS) * 100).toFixed(0)}% of the scan's wall time.`,
  );
  console.log(
    `anomaly-scan: series=${series} series_per_s=${Math.round(seriesPerS)} worker_us=${workerUs.toFixed(1)} postgres_us=${postgresUs.toFixed(1)} baseline_points_per_s=${Math.round(baselinePerS)} ratio=${(seriesPerS / baselinePerS).toFixed(3)}`,
  );
} finally {
  await db.close();
  await scratch.drop();
}
