/**
 * What a group adds to the fleet rollups (per meter, dimensions and hour or day) and, for sealed hours, to each
 * environment's hour and month per meter: Σ of the series rows it has just staged (`RollupStaging`, see
 * `aggregate-batches.ts`), folded by Postgres from the stage before it is emptied, so the rows never travel
 * twice. Each series delta's integral is rounded to the 12 places its own numeric(38, 12) column rounds it
 * to (`round` rounds half away from zero, as the column does), so a fleet or environment row stays exactly
 * Σ of the stored series rows (`findFleetRollupDrift`); sums are exact at 12 places already. Rows go in key
 * order, after the series' rows, so concurrent groups queue on them in one order. (A group with open hours
 * and a late batch of the same day adds to that fleet day twice, with the hours and with the days: should
 * two such groups deadlock, the retry covers it.)
 */
const fromStage = (columns: string, keys: string, where = "true") => `
  SELECT ${columns}, sum(sum), sum(round(integral, 12)) FROM "RollupStaging" WHERE ${where}
   GROUP BY ${keys} ORDER BY ${keys}`;

// Grouped by dimensions too, which the dimension key determines: `(array_agg(dimensions))[1]` built an array of
// every staged row's dimensions (a 2,000-host group's fleet hours took 1.1 s, most of it that).
const fleet = (table: string, bucket = `"bucketStart"`, where = "true") => `
  INSERT INTO "${table}" (meter, "dimensionKey", "bucketStart", dimensions, sum, integral)
  ${fromStage(`meter, "dimensionKey", ${bucket}, dimensions`, "1, 2, 3, 4", where)}
  ON CONFLICT (meter, "dimensionKey", "bucketStart") DO UPDATE SET
    sum = "${table}".sum + EXCLUDED.sum,
    integral = "${table}".integral + EXCLUDED.integral,
    "updatedAt" = now()`;

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
 * Statements that fold the staged hourly series rows into the fleet's hours, the fleet's days for the open
 * hours (at or after `sealedBefore`, epoch ms: those the group does not fold into series days, see
 * `lockOpenHours`) and, when the group has any (`hasSealedHours`), the environments' hours for the sealed
 * ones (a late batch's; the seal adds the open ones, see `environmentHours`). A fleet day is then Σ of its series' days as readers see them
 * (`dailyRollups`: the sealed hours' `UsageDaily` rows and the open hours' rows), at once.
 */
export function foldStagedHours(sealedBefore: number, hasSealedHours: boolean): string[] {
  const sealed = `timestamptz '${new Date(sealedBefore).toISOString()}'`;
  const statements = [
    fleet("UsageFleetHourly"),
    fleet("UsageFleetDaily", `date_trunc('day', "bucketStart", 'UTC')`, `"bucketStart" >= ${sealed}`),
  ];
  // Nearly every group writes open hours only: then the stage is not read through once more for none.
  if (hasSealedHours)
    statements.push(
      addEnvironmentHours(
        fromStage(
          `"tenantId", "environmentId", meter, "bucketStart"`,
          "1, 2, 3, 4",
          `"bucketStart" < ${sealed}`,
        ),
      ),
    );
  return statements;
}

/**
 * Statements that fold the staged daily series rows (of sealed hours only) into the fleet's days and the
 * environments' months.
 */
export const foldStagedDays = [fleet("UsageFleetDaily"), environmentMonths];
