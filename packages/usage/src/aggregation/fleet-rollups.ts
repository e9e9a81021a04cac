import type pg from "pg";
import { type Rollup, valueScale } from "./roll-up-samples.ts";
import { scaledText, unitsAtScale } from "./scaled-decimal.ts";

/**
 * What a group adds to the fleet rollups: Σ sum and Σ integral of the series rows it writes, per meter,
 * dimensions and hour or UTC day. Each series row's integral is rounded to the 12 places its own
 * numeric(38, 12) column rounds it to (half away from zero, as the column does), so a fleet row stays exactly
 * Σ of the stored series rows (`findFleetRollupDrift`); sums are exact at 12 places already. Folded by the
 * worker from the rows it has in hand: Postgres grouping the staged rows again cost it 0.4–0.8 s a
 * statement, two statements a group, about a quarter of its time at 6,000 hosts, for a few dozen rows.
 */
export interface FleetRow {
  meter: string;
  dimensionKey: string;
  dimensions: Record<string, string>;
  bucketStart: number;
  /** Units at `valueScale` places. */
  sum: bigint;
  integral: bigint;
}

const dayMs = 86_400_000;

/**
 * The fleet hours of a group's hourly series rows, and its fleet days: of the open hours' rows (at or after
 * `sealedBefore`, epoch ms, which the group does not fold into series days, see `lockOpenHours`) and of the
 * daily series rows of sealed hours (a late batch's). A fleet day is then Σ of its series' days as readers
 * see them (`dailyRollups`: the sealed hours' `UsageDaily` rows and the open hours' rows), at once.
 */
export function foldFleetRows(
  hourly: Rollup[],
  daily: Rollup[],
  sealedBefore: number,
): { hours: FleetRow[]; days: FleetRow[] } {
  const hours = new Map<string, FleetRow>();
  const days = new Map<string, FleetRow>();
  for (const rollup of hourly) {
    add(hours, rollup, rollup.bucketStart);
    if (rollup.bucketStart >= sealedBefore)
      add(days, rollup, rollup.bucketStart - (rollup.bucketStart % dayMs));
  }
  for (const rollup of daily) add(days, rollup, rollup.bucketStart);
  return { hours: [...hours.values()], days: [...days.values()] };
}

function add(rows: Map<string, FleetRow>, rollup: Rollup, bucketStart: number): void {
  const key = `${rollup.meter}|${rollup.dimensionKey}|${bucketStart}`;
  const integral = unitsAtScale(rollup.integral, valueScale);
  const row = rows.get(key);
  if (row) {
    row.sum += rollup.sum;
    row.integral += integral;
  } else {
    const { meter, dimensionKey, dimensions, sum } = rollup;
    rows.set(key, { meter, dimensionKey, dimensions, bucketStart, sum, integral });
  }
}

/**
 * Adds fleet rows to `table`'s, in key order, after the series' rows: concurrent groups queue on them in one
 * order.
 */
export async function addFleetRows(client: pg.PoolClient, table: string, rows: FleetRow[]): Promise<void> {
  if (!rows.length) return;
  const text = (units: bigint) => scaledText({ units, scale: valueScale });
  await client.query(
    `INSERT INTO "${table}" (meter, "dimensionKey", "bucketStart", dimensions, sum, integral)
     SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::jsonb[], $5::numeric[], $6::numeric[])
      ORDER BY 1, 2, 3
     ON CONFLICT (meter, "dimensionKey", "bucketStart") DO UPDATE SET
       sum = "${table}".sum + EXCLUDED.sum,
       integral = "${table}".integral + EXCLUDED.integral,
       "updatedAt" = now()`,
    [
      rows.map((r) => r.meter),
      rows.map((r) => r.dimensionKey),
      rows.map((r) => new Date(r.bucketStart).toISOString()),
      rows.map((r) => JSON.stringify(r.dimensions)),
      rows.map((r) => text(r.sum)),
      rows.map((r) => text(r.integral)),
    ],
  );
}

/** Σ of the staged series rows (`RollupStaging`) grouped by `keys`; integrals rounded as `foldFleetRows` says. */
const fromStage = (columns: string, keys: string, where = "true") => `
  SELECT ${columns}, sum(sum), sum(round(integral, 12)) FROM "RollupStaging" WHERE ${where}
   GROUP BY ${keys} ORDER BY ${keys}`;

/** Adds the rows `select` yields (tenant, environment, meter, hour, sum, integral; in key order) to the environment hours. */
export const addEnvironmentHours = (select: string) => `
  INSERT INTO "UsageEnvironmentHourly" ("tenantId", "environmentId", meter, "bucketStart", sum, integral)
  ${select}
  ON CONFLICT ("tenantId", "environmentId", meter, "bucketStart") DO UPDATE SET
    sum = "UsageEnvironmentHourly".sum + EXCLUDED.sum,
    integral = "UsageEnvironmentHourly".integral + EXCLUDED.integral`;

/** Adds the rows `select` yields (tenant, environment, meter, month, sum, integral; in key order) to the months. */
export const addEnvironmentMonths = (select: string) => `
  INSERT INTO "UsageEnvironmentMonthly" ("tenantId", "environmentId", meter, "monthStart", sum, integral)
  ${select}
  ON CONFLICT ("tenantId", "environmentId", meter, "monthStart") DO UPDATE SET
    sum = "UsageEnvironmentMonthly".sum + EXCLUDED.sum,
    integral = "UsageEnvironmentMonthly".integral + EXCLUDED.integral,
    "updatedAt" = now()`;

const environmentMonths = addEnvironmentMonths(
  fromStage(`"tenantId", "environmentId", meter, date_trunc('month', "bucketStart", 'UTC')`, "1, 2, 3, 4"),
);

/**
 * Statements that fold the staged hourly series rows of sealed hours (a late batch's; before `sealedBefore`,
 * epoch ms) into the environments' hours: the seal adds the open ones (see `environmentHours`).
 */
export function foldStagedSealedHours(sealedBefore: number): string[] {
  const sealed = `timestamptz '${new Date(sealedBefore).toISOString()}'`;
  return [
    addEnvironmentHours(
      fromStage(
        `"tenantId", "environmentId", meter, "bucketStart"`,
        "1, 2, 3, 4",
        `"bucketStart" < ${sealed}`,
      ),
    ),
  ];
}

/** Statements that fold the staged daily series rows (of sealed hours only) into the environments' months. */
export const foldStagedDays = [environmentMonths];
