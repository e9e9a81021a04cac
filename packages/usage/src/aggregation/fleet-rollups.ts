import type pg from "pg";
import { type Rollup, valueScale } from "./roll-up-samples.ts";
import { type ScaledDecimal, scaledText } from "./scaled-decimal.ts";

/**
 * What one group adds to a fleet row or an environment's month: Σ of the series rows' deltas. `sum` is in
 * units at `valueScale` (exact in the columns); `integral` is each series delta rounded as its numeric(38, 12) column rounds it, so
 * the fleet row stays exactly Σ of the stored series rows (`findFleetRollupDrift`).
 */
interface Delta {
  key: string;
  columns: Record<string, unknown>;
  sum: bigint;
  integral: bigint;
}

const storedScale = 12;

/** A decimal rounded to the 12 places of the rollup columns, half away from zero as Postgres rounds numeric. */
function storedUnits({ units, scale }: ScaledDecimal): bigint {
  if (scale <= storedScale) return units * 10n ** BigInt(storedScale - scale);
  const divisor = 10n ** BigInt(scale - storedScale);
  const magnitude = units < 0n ? -units : units;
  const rounded = (magnitude + divisor / 2n) / divisor;
  return units < 0n ? -rounded : rounded;
}

function fold(rollups: Rollup[], keyOf: (r: Rollup) => [string, Record<string, unknown>]): Delta[] {
  const deltas = new Map<string, Delta>();
  for (const r of rollups) {
    const [key, columns] = keyOf(r);
    const integral = storedUnits(r.integral);
    const delta = deltas.get(key);
    if (delta) {
      delta.sum += r.sum;
      delta.integral += integral;
    } else deltas.set(key, { key, columns, sum: r.sum, integral });
  }
  return [...deltas.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

const fleetUpsert = (table: string) => `
  INSERT INTO "${table}" (meter, "dimensionKey", "bucketStart", dimensions, sum, integral)
  SELECT meter, "dimensionKey", "bucketStart", dimensions, sum, integral
    FROM json_to_recordset($1::json) AS r(meter text, "dimensionKey" text, "bucketStart" timestamptz,
                                          dimensions jsonb, sum numeric, integral numeric)
   ORDER BY 1, 2, 3
  ON CONFLICT (meter, "dimensionKey", "bucketStart") DO UPDATE SET
    sum = "${table}".sum + EXCLUDED.sum,
    integral = "${table}".integral + EXCLUDED.integral,
    "updatedAt" = now()`;

const monthlyUpsert = `
  INSERT INTO "UsageEnvironmentMonthly" ("tenantId", "environmentId", meter, "monthStart", sum, integral)
  SELECT "tenantId", "environmentId", meter, "monthStart", sum, integral
    FROM json_to_recordset($1::json) AS r("tenantId" uuid, "environmentId" uuid, meter text,
                                          "monthStart" timestamptz, sum numeric, integral numeric)
   ORDER BY 1, 2, 3, 4
  ON CONFLICT ("tenantId", "environmentId", meter, "monthStart") DO UPDATE SET
    sum = "UsageEnvironmentMonthly".sum + EXCLUDED.sum,
    integral = "UsageEnvironmentMonthly".integral + EXCLUDED.integral,
    "updatedAt" = now()`;

const environmentHourlyUpsert = `
  INSERT INTO "UsageEnvironmentHourly" ("tenantId", "environmentId", meter, "bucketStart", sum, integral)
  SELECT "tenantId", "environmentId", meter, "bucketStart", sum, integral
    FROM json_to_recordset($1::json) AS r("tenantId" uuid, "environmentId" uuid, meter text,
                                          "bucketStart" timestamptz, sum numeric, integral numeric)
   ORDER BY 1, 2, 3, 4
  ON CONFLICT ("tenantId", "environmentId", meter, "bucketStart") DO UPDATE SET
    sum = "UsageEnvironmentHourly".sum + EXCLUDED.sum,
    integral = "UsageEnvironmentHourly".integral + EXCLUDED.integral`;

const rowsPerStatement = 5000;

async function upsert(client: pg.PoolClient, sql: string, deltas: Delta[]): Promise<void> {
  for (let i = 0; i < deltas.length; i += rowsPerStatement)
    await client.query(sql, [
      JSON.stringify(
        deltas.slice(i, i + rowsPerStatement).map((d) => ({
          ...d.columns,
          sum: scaledText({ units: d.sum, scale: valueScale }),
          integral: scaledText({ units: d.integral, scale: storedScale }),
        })),
      ),
    ]);
}

const iso = (ms: number) => new Date(ms).toISOString();

function monthStart(ms: number): number {
  const at = new Date(ms);
  return Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1);
}

/**
 * Adds a group's fold to the fleet rollups (per meter, dimensions and hour or day) and to each environment's
 * hour and month per meter, in the aggregation's transaction and from the same series rollups it upserts: a
 * few dozen fleet rows per group however wide the fleet, plus two rows per environment and meter it touched. Rows go in key order,
 * after the series' rows, so concurrent groups queue on them in one order and cannot deadlock on them.
 */
export async function upsertFleetRollups(
  client: pg.PoolClient,
  { hourly, daily }: { hourly: Rollup[]; daily: Rollup[] },
): Promise<void> {
  const fleetKey = (r: Rollup): [string, Record<string, unknown>] => [
    `${r.meter}|${r.dimensionKey}|${String(r.bucketStart).padStart(15, "0")}`,
    {
      meter: r.meter,
      dimensionKey: r.dimensionKey,
      bucketStart: iso(r.bucketStart),
      dimensions: r.dimensions,
    },
  ];
  await upsert(client, fleetUpsert("UsageFleetHourly"), fold(hourly, fleetKey));
  await upsert(client, fleetUpsert("UsageFleetDaily"), fold(daily, fleetKey));
  await upsert(
    client,
    environmentHourlyUpsert,
    fold(hourly, (r) => [
      `${r.tenantId}|${r.environmentId}|${r.meter}|${String(r.bucketStart).padStart(15, "0")}`,
      {
        tenantId: r.tenantId,
        environmentId: r.environmentId,
        meter: r.meter,
        bucketStart: iso(r.bucketStart),
      },
    ]),
  );
  await upsert(
    client,
    monthlyUpsert,
    fold(daily, (r) => {
      const month = monthStart(r.bucketStart);
      return [
        `${r.tenantId}|${r.environmentId}|${r.meter}|${String(month).padStart(15, "0")}`,
        { tenantId: r.tenantId, environmentId: r.environmentId, meter: r.meter, monthStart: iso(month) },
      ];
    }),
  );
}
