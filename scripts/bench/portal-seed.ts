import { createUser, logIn } from "@meterplane/access";
import { type Database, dailyRollups, sealedBeforeSql, systemActor } from "@meterplane/db";
import { dimensionKey } from "@meterplane/wire";

export const benchOwner = { email: "bench-owner@meterplane.test", password: "bench-owner-password" };

/**
 * The series each environment reports, as a real collector does (DESIGN "The shape of real use": about 10
 * environments × 14 series a host), with an hourly value of each: the eight meters, open resources by kind
 * and data throughput by channel and direction.
 */
const series: [meter: string, dimensions: Record<string, string>, hourlyValue: number][] = [
  ["cpu", {}, 1800],
  ["memory", {}, 536870912],
  ["processes", {}, 4],
  ["open_files", {}, 60],
  ...["file", "socket", "pipe", "other"].map((kind): [string, Record<string, string>, number] => [
    "open_resources",
    { kind },
    12,
  ]),
  ...(
    [
      ["disk", "read"],
      ["disk", "write"],
      ["network", "received"],
      ["network", "sent"],
    ] as const
  ).map(([channel, direction]): [string, Record<string, string>, number] => [
    "data_throughput",
    { channel, direction },
    250_000_000,
  ]),
  ["transactions", {}, 9000],
  ["concurrent_users", {}, 25],
];

/**
 * 1,000 tenants (one environment each, ten environments a host), `days` of hourly rollups of the 14 series
 * of each environment with the daily folds of the sealed ones, a plan each tenant subscribes to, and last month's finalized
 * invoice per tenant. Set-based SQL, so seeding takes minutes rather than the hours row-by-row inserts would.
 */
export async function seedPortalBench(db: Database, { tenants, days }: { tenants: number; days: number }) {
  const q = (sql: string, params: unknown[] = []) => db.pool.query(sql, params);
  const now = new Date();
  const to = new Date(Math.floor(now.getTime() / 3600_000) * 3600_000);
  const from = new Date(to.getTime() - days * 86_400_000);
  await q(
    `INSERT INTO "Host" (id, name, "group", "collectorVersion", "lastSeenAt")
           SELECT gen_random_uuid(), 'host-' || lpad(g::text, 4, '0'), CASE WHEN g % 2 = 0 THEN 'canary' END,
                  CASE WHEN g % 3 = 0 THEN '1.0.0' ELSE '1.1.0' END, now() - (g % 5) * interval '1 minute'
             FROM generate_series(1, $1) g`,
    [Math.ceil(tenants / 10)],
  );
  await q(
    `INSERT INTO "Tenant" (id, slug, name, "updatedAt")
           SELECT gen_random_uuid(), 'tenant-' || lpad(g::text, 4, '0'), 'Tenant ' || lpad(g::text, 4, '0'), now()
             FROM generate_series(1, $1) g`,
    [tenants],
  );
  await q(`INSERT INTO "Environment" ("tenantId", id, "hostId", name, kind, selector, meters, "updatedAt")
           SELECT t.id, gen_random_uuid(), h.id, 'app', 'process_tree', 'pid:1', '{}', now()
             FROM (SELECT id, row_number() OVER (ORDER BY slug) AS n FROM "Tenant") t
             JOIN (SELECT id, row_number() OVER (ORDER BY name) AS n FROM "Host") h ON h.n = (t.n - 1) / 10 + 1`);
  const seriesJson = JSON.stringify(
    series.map(([meter, dimensions, value]) => ({
      meter,
      dimensions,
      key: dimensionKey(dimensions),
      value: String(value),
    })),
  );
  // Ten million rows load in minutes rather than tens of minutes when the keys and indexes are built once
  // afterwards (by sorting) instead of row by row; they come back exactly as the migrations made them.
  const rollupTables = ["UsageHourly", "UsageDaily"];
  const { rows: constraints } = await q(
    `SELECT conrelid::regclass::text AS "table", conname AS name, pg_get_constraintdef(oid) AS definition
       FROM pg_constraint WHERE conrelid = ANY($1::regclass[]) AND contype IN ('p', 'f') ORDER BY contype DESC`,
    [rollupTables.map((t) => `"${t}"`)],
  );
  const { rows: indexes } = await q(
    `SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS definition FROM pg_index
      WHERE indrelid = ANY($1::regclass[]) AND NOT indisprimary`,
    [rollupTables.map((t) => `"${t}"`)],
  );
  for (const c of [...constraints].reverse()) await q(`ALTER TABLE ${c.table} DROP CONSTRAINT "${c.name}"`);
  for (const i of indexes) await q(`DROP INDEX ${i.name}`);
  // Values vary by environment (a tenant's share) and by hour of day, so rankings and charts have a shape.
  await q(
    `INSERT INTO "UsageHourly" ("tenantId", "environmentId", meter, "dimensionKey", dimensions, "bucketStart",
                                sum, count, min, max, last, "lastAt", integral, seconds)
           SELECT e."tenantId", e.id, s.meter, s.key, s.dimensions, b, v, 360, v, v, v, b + interval '59 minutes', v * 3600, 3600
             FROM (SELECT *, row_number() OVER (ORDER BY id) AS n FROM "Environment") e
            CROSS JOIN generate_series($1::timestamptz, $2::timestamptz - interval '1 hour', interval '1 hour') b
            CROSS JOIN jsonb_to_recordset($3::jsonb) AS s(meter text, dimensions jsonb, key text, value numeric)
            CROSS JOIN LATERAL (SELECT round(s.value * (1 + (e.n % 17) / 4.0)
                                        * (1.5 + sin(extract(hour FROM b) * pi() / 12))::numeric / 1.5, 3) AS v) x
            -- In time order, as rollups are written while the hours pass.
            ORDER BY b`,
    [from, to, seriesJson],
  );
  await q(`INSERT INTO "UsageDaily" ("tenantId", "environmentId", meter, "dimensionKey", dimensions, "bucketStart",
                                     sum, count, min, max, last, "lastAt", integral, seconds)
           SELECT "tenantId", "environmentId", meter, "dimensionKey", (array_agg(dimensions))[1],
                  date_trunc('day', "bucketStart", 'UTC'),
                  sum(sum), sum(count), min(min), max(max), (array_agg(last ORDER BY "lastAt" DESC))[1], max("lastAt"),
                  sum(integral), sum(seconds)
             FROM "UsageHourly" WHERE "bucketStart" < ${sealedBeforeSql} GROUP BY 1, 2, 3, 4, 6`);
  // The fleet rollups and environment hours and months aggregation keeps beside them, summed once.
  for (const [fleet, rollups] of [
    ["UsageFleetHourly", `"UsageHourly"`],
    ["UsageFleetDaily", `${dailyRollups()} AS days`],
  ])
    await q(`INSERT INTO "${fleet}" (meter, "dimensionKey", "bucketStart", dimensions, sum, integral)
             SELECT meter, "dimensionKey", "bucketStart", (array_agg(dimensions))[1], sum(sum), sum(integral)
               FROM ${rollups} GROUP BY 1, 2, 3`);
  await q(`INSERT INTO "UsageEnvironmentHourly" ("tenantId", "environmentId", meter, "bucketStart", sum, integral)
           SELECT "tenantId", "environmentId", meter, "bucketStart", sum(sum), sum(integral)
             FROM "UsageHourly" WHERE "bucketStart" < ${sealedBeforeSql} GROUP BY 1, 2, 3, 4`);
  await q(`INSERT INTO "UsageEnvironmentMonthly" ("tenantId", "environmentId", meter, "monthStart", sum, integral)
           SELECT "tenantId", "environmentId", meter, date_trunc('month', "bucketStart", 'UTC'), sum(sum), sum(integral)
             FROM "UsageDaily" GROUP BY 1, 2, 3, 4`);
  for (const c of constraints) await q(`ALTER TABLE ${c.table} ADD CONSTRAINT "${c.name}" ${c.definition}`);
  for (const i of indexes) await q(i.definition);
  const metric = await db.prisma.billableMetric.create({
    data: {
      code: "cpu_core_hours",
      name: "CPU",
      meter: "cpu",
      aggregation: "sum",
      unit: "core-hours",
      divisor: 3600,
    },
  });
  const plan = await db.prisma.plan.create({
    data: {
      code: "standard",
      name: "Standard",
      versions: {
        create: {
          version: 1,
          currency: "USD",
          charges: {
            create: [{ billableMetricId: metric.id, model: "per_unit", properties: { unitPrice: "0.05" } }],
          },
        },
      },
    },
    include: { versions: true },
  });
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  await q(
    `INSERT INTO "Subscription" ("tenantId", id, "planVersionId", "startAt", "billingAnchor")
           SELECT id, gen_random_uuid(), $1, $2, $2 FROM "Tenant"`,
    [plan.versions[0]!.id, lastMonth],
  );
  await q(
    `INSERT INTO "Invoice" ("tenantId", id, "subscriptionId", status, number, currency, "periodStart", "periodEnd",
                                  subtotal, total, "ratingHash", "ratedAt", "finalizedAt")
           SELECT s."tenantId", gen_random_uuid(), s.id, 'finalized', 'MP-' || lpad((row_number() OVER ())::text, 6, '0'),
                  'USD', $1, $2, 250, 250, md5(s.id::text), $2, $2
             FROM "Subscription" s`,
    [lastMonth, monthStart],
  );
  // The current period's drafts, as the worker's daily invoice run leaves them: the dashboard's estimate.
  await q(
    `INSERT INTO "Invoice" ("tenantId", id, "subscriptionId", status, currency, "periodStart", "periodEnd",
                            subtotal, total, "ratingHash", "ratedAt")
           SELECT s."tenantId", gen_random_uuid(), s.id, 'draft', 'USD', $1, $2, 250, 250, md5(s.id::text), $3
             FROM "Subscription" s`,
    [monthStart, new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)), now],
  );
  await q(`INSERT INTO "InvoiceLine" ("tenantId", id, "invoiceId", position, description, quantity, "unitPrice", amount)
           SELECT "tenantId", gen_random_uuid(), id, 0, 'CPU', 5000, 0.05, 250 FROM "Invoice"`);
  await q(`INSERT INTO "AuditLog" ("actorKind", action, entity, "entityId", "tenantId", after)
           SELECT 'system', 'tenant.create', 'tenant', id::text, id, jsonb_build_object('slug', slug) FROM "Tenant"`);
  // Autovacuum keeps a table that only grows (and whose rows change only in their first hours) mostly
  // all-visible; after a bulk load that takes a VACUUM, which index-only scans of environment hours rely on.
  await q(`VACUUM "UsageEnvironmentHourly"`);
  await q("ANALYZE");
  await createUser({ db, actor: systemActor, ...benchOwner, name: "Bench Owner", operatorRole: "owner" });
  const { token } = await logIn({ db, ...benchOwner });
  const sample = await q(`SELECT e."tenantId", e.id AS "environmentId", e."hostId", i.id AS "invoiceId"
                            FROM "Environment" e JOIN "Invoice" i ON i."tenantId" = e."tenantId"
                           WHERE i.status = 'finalized' LIMIT 1`);
  return {
    token,
    sample: {
      ...(sample.rows[0] as { tenantId: string; environmentId: string; hostId: string; invoiceId: string }),
      planId: plan.id,
    },
  };
}
