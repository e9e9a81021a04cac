/**
 * What a group adds to the fleet rollups (per meter, dimensions and hour or day) and to each environment's
 * hour and month per meter: Σ of the series rows it has just staged (`RollupStaging`, see
 * `aggregate-batches.ts`), folded by Postgres from the stage before it is emptied, so the rows never travel
 * twice. Each series delta's integral is rounded to the 12 places its own numeric(38, 12) column rounds it
 * to (`round` rounds half away from zero, as the column does), so a fleet or environment row stays exactly
 * Σ of the stored series rows (`findFleetRollupDrift`); sums are exact at 12 places already. Rows go in key
 * order, after the series' rows, so concurrent groups queue on them in one order and cannot deadlock.
 */
const fromStage = (columns: string, keys: string) => `
  SELECT ${columns}, sum(sum), sum(round(integral, 12)) FROM "RollupStaging" GROUP BY ${keys} ORDER BY ${keys}`;

const fleet = (table: string) => `
  INSERT INTO "${table}" (meter, "dimensionKey", "bucketStart", dimensions, sum, integral)
  ${fromStage(`meter, "dimensionKey", "bucketStart", (array_agg(dimensions))[1]`, "1, 2, 3")}
  ON CONFLICT (meter, "dimensionKey", "bucketStart") DO UPDATE SET
    sum = "${table}".sum + EXCLUDED.sum,
    integral = "${table}".integral + EXCLUDED.integral,
    "updatedAt" = now()`;

const environmentHours = `
  INSERT INTO "UsageEnvironmentHourly" ("tenantId", "environmentId", meter, "bucketStart", sum, integral)
  ${fromStage(`"tenantId", "environmentId", meter, "bucketStart"`, "1, 2, 3, 4")}
  ON CONFLICT ("tenantId", "environmentId", meter, "bucketStart") DO UPDATE SET
    sum = "UsageEnvironmentHourly".sum + EXCLUDED.sum,
    integral = "UsageEnvironmentHourly".integral + EXCLUDED.integral`;

const environmentMonths = `
  INSERT INTO "UsageEnvironmentMonthly" ("tenantId", "environmentId", meter, "monthStart", sum, integral)
  ${fromStage(`"tenantId", "environmentId", meter, date_trunc('month', "bucketStart", 'UTC')`, "1, 2, 3, 4")}
  ON CONFLICT ("tenantId", "environmentId", meter, "monthStart") DO UPDATE SET
    sum = "UsageEnvironmentMonthly".sum + EXCLUDED.sum,
    integral = "UsageEnvironmentMonthly".integral + EXCLUDED.integral,
    "updatedAt" = now()`;

/** Statements that fold the staged hourly series rows into the fleet's hours and the environments' hours. */
export const foldStagedHours = [fleet("UsageFleetHourly"), environmentHours];

/** Statements that fold the staged daily series rows into the fleet's days and the environments' months. */
export const foldStagedDays = [fleet("UsageFleetDaily"), environmentMonths];
