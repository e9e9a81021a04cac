import { systemActor as actor, connectDatabase, type Database } from "@meterplane/db";
import { createScratchDatabase } from "@meterplane/db/migrations";
import { createBillableMetric, createPlan, runInvoicing } from "@meterplane/invoicing";

/**
 * `npm run bench -- rating`: an invoice run from rollups to draft invoices for 10,000 tenants with 8
 * billable metrics each (one environment, nine series: data_throughput has two directions), over the
 * month [Oct 1 12:00, Nov 1 12:00). The run reads daily rollups for the 30 whole days and hourly rollups
 * for the 24 edge hours — exactly the rollups the aggregator writes for a month of hourly usage — so
 * those are what is seeded. Baseline: a plain SELECT of the same rollups, summed per series in Postgres
 * (fetching the 4.86 million rows themselves into Node takes minutes and several GB: not a useful floor).
 */
const tenants = Number(process.env.MP_BENCH_TENANTS ?? 10_000);
const serverUrl = process.env.MP_PG_SERVER_URL ?? "postgresql://root@127.0.0.1:5432/postgres";
const periodStart = new Date("2026-10-01T12:00:00Z");
const at = new Date("2026-11-01T11:30:00Z");

const seconds = (since: number) => (performance.now() - since) / 1000;

// Per-hour level (gauges) or delta (counters) of each series, scaled by a per-tenant factor f in 1..10.
const series = [
  ["cpu", "", "{}", "1800 * f"],
  ["memory", "", "{}", "2000000000 * f"],
  ["processes", "", "{}", "5 + f"],
  ["open_files", "", "{}", "40 + f"],
  ["open_resources", "kind=socket", '{"kind":"socket"}', "100 + f"],
  [
    "data_throughput",
    "channel=network,direction=sent",
    '{"channel":"network","direction":"sent"}',
    "100000000 * f",
  ],
  [
    "data_throughput",
    "channel=network,direction=received",
    '{"channel":"network","direction":"received"}',
    "300000000 * f",
  ],
  ["transactions", "", "{}", "1000 * f"],
  ["concurrent_users", "", "{}", "3 + f + extract(day from b)::int % 5"],
];

async function seed(db: Database) {
  const metric = (fields: Omit<Parameters<typeof createBillableMetric>[0], "db" | "actor">) =>
    createBillableMetric({ db, actor, ...fields });
  const m = {
    cpu: await metric({
      code: "cpu",
      name: "CPU core-hours",
      meter: "cpu",
      aggregation: "sum",
      unit: "core-hour",
      divisor: "3600",
    }),
    memory: await metric({
      code: "memory",
      name: "Memory GB-hours",
      meter: "memory",
      aggregation: "time_weighted",
      unit: "GB-hour",
      divisor: "3600000000000",
    }),
    processes: await metric({
      code: "processes",
      name: "Average processes",
      meter: "processes",
      aggregation: "avg",
      unit: "process",
    }),
    files: await metric({
      code: "files",
      name: "Open files",
      meter: "open_files",
      aggregation: "latest",
      unit: "file",
    }),
    sockets: await metric({
      code: "sockets",
      name: "Socket-hours",
      meter: "open_resources",
      aggregation: "time_weighted",
      unit: "socket-hour",
      divisor: "3600",
      filter: { kind: "socket" },
    }),
    egress: await metric({
      code: "egress",
      name: "Network egress GB",
      meter: "data_throughput",
      aggregation: "sum",
      unit: "GB",
      divisor: "1000000000",
      filter: { direction: "sent" },
    }),
    tx: await metric({
      code: "tx",
      name: "Transactions",
      meter: "transactions",
      aggregation: "sum",
      unit: "transaction",
    }),
    users: await metric({
      code: "users",
      name: "Peak concurrent users",
      meter: "concurrent_users",
      aggregation: "max",
      unit: "user",
    }),
  };
  const tiers = [
    { upTo: "500", unitPrice: "0.01" },
    { upTo: null, unitPrice: "0.005", flatFee: "1" },
  ];
  const { version } = await createPlan({
    db,
    actor,
    code: "bench",
    name: "Bench",
    version: {
      currency: "USD",
      invoiceMinimum: "100",
      charges: [
        { name: "Platform fee", model: "flat", properties: { amount: "49" } },
        { metric: m.cpu.code, model: "per_unit", properties: { unitPrice: "0.05" } },
        { metric: m.memory.code, model: "graduated", properties: { tiers } },
        { metric: m.processes.code, model: "per_unit", properties: { unitPrice: "0.5" } },
        { metric: m.files.code, model: "package", properties: { packageSize: "100", packagePrice: "1" } },
        { metric: m.sockets.code, model: "volume", properties: { tiers } },
        { metric: m.egress.code, model: "per_unit", properties: { unitPrice: "0.09" } },
        { metric: m.tx.code, model: "per_unit", properties: { unitPrice: "0.0001" }, freeUnits: "100000" },
        { metric: m.users.code, model: "per_unit", properties: { unitPrice: "1.5" }, minimumAmount: "10" },
      ],
    },
  });
  await db.pool.query(`INSERT INTO "Host" (id, name) VALUES (gen_random_uuid(), 'bench-host')`);
  await db.pool.query(
    `INSERT INTO "Tenant" (id, slug, name, "updatedAt")
     SELECT gen_random_uuid(), 'bench-' || n, 'Bench ' || n, now() FROM generate_series(1, $1) AS n`,
    [tenants],
  );
  await db.pool.query(
    `INSERT INTO "Environment" ("tenantId", id, "hostId", name, kind, selector, meters, "updatedAt")
     SELECT t.id, gen_random_uuid(), h.id, 'app', 'cgroup', '/bench/' || t.slug, '{}', now()
       FROM "Tenant" t, "Host" h`,
  );
  await db.pool.query(
    `INSERT INTO "Subscription" ("tenantId", id, "planVersionId", "startAt", "billingAnchor")
     SELECT id, gen_random_uuid(), $1, $2, $2 FROM "Tenant"`,
    [version.id, periodStart],
  );
  const buckets = {
    UsageHourly: [
      `'1 hour'`,
      `generate_series('2026-10-01 12:00Z'::timestamptz, '2026-10-01 23:00Z', '1 hour') UNION ALL SELECT generate_series('2026-11-01 00:00Z'::timestamptz, '2026-11-01 11:00Z', '1 hour')`,
      1,
    ],
    UsageDaily: [
      `'1 day'`,
      `generate_series('2026-10-02 00:00Z'::timestamptz, '2026-10-31 00:00Z', '1 day')`,
      24,
    ],
  } as const;
  for (const [table, [width, times, hours]] of Object.entries(buckets)) {
    // Loaded as pg_restore would: keys, foreign key and index are built once, after the rows are in.
    await db.pool.query(
      `ALTER TABLE "${table}" DROP CONSTRAINT "${table}_tenantId_environmentId_fkey", DROP CONSTRAINT "${table}_pkey";
       DROP INDEX "${table}_tenantId_bucketStart_idx"`,
    );
    await db.pool.query(
      `INSERT INTO "${table}" ("tenantId", "environmentId", meter, "dimensionKey", "bucketStart", dimensions,
                               sum, count, min, max, last, "lastAt", integral, seconds)
       SELECT "tenantId", id, meter, key, b, dimensions::jsonb, v * ${hours}, 360 * ${hours}, v, v, v,
              b + interval ${width} - interval '1 second', v * 3600 * ${hours}, 3600 * ${hours}
         FROM (SELECT e."tenantId", e.id, s.meter, s.key, s.dimensions, b,
                      CASE s.i ${series.map(([, , , level], i) => `WHEN ${i} THEN (${level})::numeric`).join(" ")} END AS v
                 FROM (SELECT "tenantId", id, (1 + abs(hashtext(id::text)) % 10)::numeric AS f FROM "Environment") e,
                      (VALUES ${series.map(([meter, key, dimensions], i) => `(${i}, '${meter}', '${key}', '${dimensions}')`).join(", ")}) AS s(i, meter, key, dimensions),
                      (SELECT ${times}) AS bs(b)) AS x`,
    );
    await db.pool.query(
      `ALTER TABLE "${table}" ADD CONSTRAINT "${table}_pkey" PRIMARY KEY ("tenantId", "environmentId", meter, "dimensionKey", "bucketStart"),
         ADD CONSTRAINT "${table}_tenantId_environmentId_fkey" FOREIGN KEY ("tenantId", "environmentId")
             REFERENCES "Environment"("tenantId", id) ON DELETE RESTRICT ON UPDATE CASCADE;
       CREATE INDEX "${table}_tenantId_bucketStart_idx" ON "${table}" ("tenantId", "bucketStart")`,
    );
  }
  await db.pool.query(`ANALYZE`);
}

/** The floor of any run: Postgres reading the same rollups, summed per tenant and series, into this process. */
async function baseline(db: Database): Promise<number> {
  const start = performance.now();
  await db.pool.query(
    `SELECT "tenantId", meter, "dimensionKey", count(*), sum(sum)::text, sum(integral)::text, max(max)::text
       FROM (SELECT * FROM "UsageDaily" WHERE "bucketStart" >= $1 AND "bucketStart" < $2
             UNION ALL SELECT * FROM "UsageHourly" WHERE "bucketStart" >= $1 AND "bucketStart" < $2) AS r
      GROUP BY 1, 2, 3`,
    [periodStart, new Date("2026-11-01T12:00:00Z")],
  );
  return seconds(start);
}

const scratch = await createScratchDatabase(serverUrl, { prefix: "meterplane_bench_rating" });
const db = connectDatabase(scratch.url, { max: 4 });
try {
  const seedStart = performance.now();
  await seed(db);
  const { rows } = await db.pool.query<{ n: string }>(
    `SELECT (SELECT count(*) FROM "UsageHourly") + (SELECT count(*) FROM "UsageDaily") AS n`,
  );
  console.log(
    `seeded ${tenants} tenants × 8 metrics, ${rows[0]?.n} rollups in ${seconds(seedStart).toFixed(1)} s`,
  );
  const baselineSeconds = await baseline(db);
  const runStart = performance.now();
  const run = await runInvoicing({ db, at });
  const runSeconds = seconds(runStart);
  const rerunStart = performance.now();
  const rerun = await runInvoicing({ db, at });
  const rerunSeconds = seconds(rerunStart);
  const { rows: stored } = await db.pool.query<{ invoices: string; lines: string; total: string }>(
    `SELECT (SELECT count(*) FROM "Invoice" WHERE status = 'draft') AS invoices,
            (SELECT count(*) FROM "InvoiceLine") AS lines, (SELECT sum(total)::text FROM "Invoice") AS total`,
  );
  const figures = stored[0]!;
  console.log(`plain SELECT summing the rollups  ${baselineSeconds.toFixed(2)} s`);
  console.log(
    `invoice run (rate + write drafts) ${runSeconds.toFixed(2)} s: ${run.draftsWritten} drafts, ${figures.lines} lines, USD ${figures.total}`,
  );
  console.log(
    `repeat run, usage unchanged       ${rerunSeconds.toFixed(2)} s: ${rerun.draftsWritten} drafts rewritten`,
  );
  if (Number(figures.invoices) !== tenants)
    throw new Error(`expected ${tenants} drafts, found ${figures.invoices}`);
  let close = "";
  if (process.env.MP_BENCH_CLOSE === "1") {
    // Month end (optional): every period re-rated and finalized, one numbered invoice at a time.
    const closeStart = performance.now();
    const closed = await runInvoicing({ db, at: new Date("2026-11-01T12:30:00Z") });
    console.log(
      `month-end close                   ${seconds(closeStart).toFixed(2)} s: ${closed.finalized.length} finalized`,
    );
    close = ` close_seconds=${seconds(closeStart).toFixed(2)}`;
  }
  console.log(
    `rating: tenants=${tenants} seconds=${runSeconds.toFixed(2)} baseline_seconds=${baselineSeconds.toFixed(2)} rerun_seconds=${rerunSeconds.toFixed(2)} lines=${figures.lines}${close} goal_seconds=30`,
  );
} finally {
  await db.close();
  await scratch.drop();
}
