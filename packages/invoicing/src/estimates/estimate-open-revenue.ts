import { currencyExponent } from "@meterplane/billing";
import { Dec } from "@meterplane/core";
import type { Database } from "@meterplane/db";
import { estimateCurrentPeriods } from "./estimate-current-periods.ts";

export interface RevenueEstimate {
  currency: string;
  /** Sum of the periods' rounded totals, to the currency's minor unit. */
  total: string;
  /** How many open periods (one per subscription) the total covers. */
  periods: number;
}

/**
 * This period's revenue: the sum, per currency, of every subscription's current period rated as the invoice
 * run rates it (see `estimateCurrentPeriods`), whether or not a draft has been stored for it.
 */
export async function estimateOpenRevenue({
  db,
  at,
}: {
  db: Database;
  at: Date;
}): Promise<RevenueEstimate[]> {
  const sums = new Map<string, { total: Dec; periods: number }>();
  for (const e of await estimateCurrentPeriods({ db, at })) {
    const sum = sums.get(e.currency) ?? { total: new Dec(0), periods: 0 };
    sums.set(e.currency, { total: sum.total.plus(e.total), periods: sum.periods + 1 });
  }
  return [...sums.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([currency, s]) => ({
      currency,
      total: s.total.toFixed(currencyExponent(currency)),
      periods: s.periods,
    }));
}
