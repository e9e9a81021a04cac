import { Dec } from "@meterplane/core";
import type { Database } from "@meterplane/db";
import { type MeterName, meterNames, meters } from "@meterplane/wire";

/**
 * Each meter's daily figure across the fleet over the last `days` whole UTC days and today so far: a counter's
 * total for the day, a gauge's average level (its time integral over the day's seconds, summed over
 * environments). From the fleet's daily rollups, so the cost follows days × the meters' dimensions, not
 * series. The points end with today so far, which `today` names apart: the week figures hold whole days
 * only, so usage that began today shows there and not as a week of zero beside a line that rises.
 */
export async function getMeterTrends({ db, now, days = 14 }: { db: Database; now: Date; days?: number }) {
  const today = Math.floor(now.getTime() / 86_400_000) * 86_400_000;
  const from = new Date(today - days * 86_400_000);
  const { rows } = await db.pool.query<{ meter: string; day: Date; sum: string; integral: string }>(
    `SELECT meter, "bucketStart" AS day, sum(sum)::text AS sum, sum(integral)::text AS integral
       FROM "UsageFleetDaily" WHERE "bucketStart" >= $1
      GROUP BY meter, "bucketStart"`,
    [from],
  );
  const byMeter = new Map<string, Map<number, Dec>>();
  for (const row of rows) {
    const meter = row.meter as MeterName;
    if (!meterNames.includes(meter)) continue;
    // A gauge's level averages over the seconds the day has had: today's so far, not all of its 86,400.
    const seconds = row.day.getTime() === today ? Math.max(1, (now.getTime() - today) / 1000) : 86_400;
    const value = meters[meter].kind === "counter" ? new Dec(row.sum) : new Dec(row.integral).div(seconds);
    const series = byMeter.get(meter) ?? new Map<number, Dec>();
    series.set(row.day.getTime(), value);
    byMeter.set(meter, series);
  }
  return meterNames.map((meter) => {
    const series = byMeter.get(meter) ?? new Map<number, Dec>();
    const points = Array.from({ length: days + 1 }, (_, i) => {
      const day = new Date(from.getTime() + i * 86_400_000);
      return { day, value: series.get(day.getTime()) ?? new Dec(0) };
    });
    const week = (offset: number) =>
      points
        .slice(points.length - 1 - offset - 7, points.length - 1 - offset)
        .reduce((s, p) => s.plus(p.value), new Dec(0));
    // Whole days only: today is still filling in.
    const last = week(0);
    const before = week(7);
    return {
      meter,
      unit: meters[meter].unit,
      kind: meters[meter].kind,
      points,
      /** Today so far (UTC): the last point. */
      today: points.at(-1)?.value ?? new Dec(0),
      /** The seven whole days before today. */
      lastWeek: last,
      /** Percent change of the last seven whole days against the seven before; null without a base. */
      change: before.isZero() ? null : last.minus(before).div(before).times(100),
    };
  });
}
