import { type Database, withTransaction } from "@meterplane/db";
import { retryableCodes, upsertRollupsFrom } from "./aggregate-batches.ts";
import { addEnvironmentHours, addEnvironmentMonths } from "./fleet-rollups.ts";
import { hourLockClass, hourMs } from "./open-hours.ts";

/** How long after an hour ends it stays open, so that its last batches, aggregated a window later, find it so. */
export const defaultSealGraceMs = 120_000;

// $1: the hour. Its series rows become day rows added to the days (key order, as groups upsert them).
const foldIntoDays = upsertRollupsFrom(
  "UsageDaily",
  `SELECT "tenantId", "environmentId", meter, "dimensionKey", date_trunc('day', "bucketStart", 'UTC'), dimensions,
          sum, count, min, max, last, "lastAt", integral, seconds
     FROM "UsageHourly" WHERE "bucketStart" = $1 ORDER BY 1, 2, 3, 4`,
);

// Σ of the hour's series rows, each already rounded to its column's 12 places: a month stays Σ of its days,
// an environment's hour Σ of its series' hours.
const foldIntoMonths = addEnvironmentMonths(`
  SELECT "tenantId", "environmentId", meter, date_trunc('month', "bucketStart", 'UTC'), sum(sum), sum(integral)
    FROM "UsageHourly" WHERE "bucketStart" = $1 GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`);
const foldIntoEnvironmentHours = addEnvironmentHours(`
  SELECT "tenantId", "environmentId", meter, "bucketStart", sum(sum), sum(integral)
    FROM "UsageHourly" WHERE "bucketStart" = $1 GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`);

/**
 * Seals the hours that ended at least `graceMs` before `now`, oldest first, each in a transaction of its own:
 * adds its hourly series rows to `UsageDaily` and their Σ per environment and meter to
 * `UsageEnvironmentMonthly` and `UsageEnvironmentHourly`, and moves `sealedBefore` past it; returns the hours sealed. Groups then write
 * each series-hour once per window instead of once per window into both the hour and the day (the day row
 * is written once an hour instead), halving their rows. Its hour's lock makes it wait for every group
 * writing that hour (see `lockOpenHours`). Every worker runs it; an hour another worker has just sealed is
 * found sealed after the lock and skipped.
 */
export async function sealHours({
  db,
  now = new Date(),
  graceMs = defaultSealGraceMs,
}: {
  db: Database;
  now?: Date;
  graceMs?: number;
}): Promise<Date[]> {
  const sealed: Date[] = [];
  for (;;) {
    const { rows } = await db.pool.query<{ sealedBefore: Date }>(`SELECT "sealedBefore" FROM "UsageSeal"`);
    const hour = rows[0]?.sealedBefore;
    if (!hour || hour.getTime() + hourMs + graceMs > now.getTime()) return sealed;
    if (await sealHour(db, hour)) sealed.push(hour);
  }
}

/** Seals `hour` if it is still the first open one; whether it did. */
async function sealHour(db: Database, hour: Date): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await withTransaction(db.pool, async (client) => {
        await client.query(`SELECT pg_advisory_xact_lock($1, $2)`, [hourLockClass, hour.getTime() / hourMs]);
        const { rows } = await client.query<{ sealedBefore: Date }>(
          `SELECT "sealedBefore" FROM "UsageSeal" FOR UPDATE`,
        );
        if (rows[0]?.sealedBefore.getTime() !== hour.getTime()) return false;
        await client.query(foldIntoDays, [hour]);
        await client.query(foldIntoMonths, [hour]);
        await client.query(foldIntoEnvironmentHours, [hour]);
        await client.query(`UPDATE "UsageSeal" SET "sealedBefore" = $1`, [new Date(hour.getTime() + hourMs)]);
        return true;
      });
    } catch (error) {
      if (attempt >= 5 || !retryableCodes.has((error as { code?: string }).code ?? "")) throw error;
    }
  }
}
