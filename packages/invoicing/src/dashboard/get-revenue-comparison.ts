import { Dec } from "@meterplane/core";
import type { Database } from "@meterplane/db";

/**
 * Revenue of the period running now beside the period before, per currency: the invoices (drafts included,
 * void ones not) whose period contains `now`, and those whose period contains the same instant a month
 * earlier. A draft of an open period is its estimate: the invoice run re-rates it with the invoice's own rating.
 * No change in percent: a period so far against a whole one is not a like-for-like comparison.
 */
export async function getRevenueComparison({ db, now }: { db: Database; now: Date }) {
  const before = new Date(now);
  before.setUTCMonth(before.getUTCMonth() - 1);
  const { rows } = await db.pool.query<{
    currency: string;
    current: string;
    previous: string;
    invoices: string;
    ratedAt: Date | null;
  }>(
    `SELECT currency,
            coalesce(sum(total) FILTER (WHERE "periodStart" <= $1 AND "periodEnd" > $1), 0)::text AS current,
            coalesce(sum(total) FILTER (WHERE "periodStart" <= $2 AND "periodEnd" > $2), 0)::text AS previous,
            count(*) FILTER (WHERE "periodStart" <= $1 AND "periodEnd" > $1)::text AS invoices,
            max("ratedAt") FILTER (WHERE "periodStart" <= $1 AND "periodEnd" > $1) AS "ratedAt"
       FROM "Invoice"
      WHERE status <> 'void' AND "periodEnd" > $2 AND "periodStart" <= $1
        AND (("periodStart" <= $1 AND "periodEnd" > $1) OR ("periodStart" <= $2 AND "periodEnd" > $2))
      GROUP BY currency ORDER BY currency`,
    [now, before],
  );
  return rows.map((r) => {
    const current = new Dec(r.current);
    const previous = new Dec(r.previous);
    return {
      currency: r.currency,
      current,
      previous,
      invoices: Number(r.invoices),
      ratedAt: r.ratedAt,
    };
  });
}
