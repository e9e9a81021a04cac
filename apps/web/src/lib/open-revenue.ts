import { estimateOpenRevenue, type RevenueEstimate } from "@meterplane/invoicing";
import { services } from "./server";

/**
 * Rating every open period costs a few set-based queries; every open dashboard refreshes each 15 s, so one
 * rating is shared by the views of 15 s in a web process: the figure is at most that old.
 */
const maxAgeMs = 15_000;
let cached: { at: Date; revenue: Promise<RevenueEstimate[]> } | undefined;

/** The current-period revenue estimate and when it was rated. */
export async function openRevenue(): Promise<{ at: Date; revenue: RevenueEstimate[] }> {
  const now = new Date();
  if (!cached || now.getTime() - cached.at.getTime() > maxAgeMs) {
    const revenue = estimateOpenRevenue({ db: services().db, at: now });
    cached = { at: now, revenue };
    // A failed rating is not kept: the next view tries again.
    revenue.catch(() => {
      if (cached?.revenue === revenue) cached = undefined;
    });
  }
  return { at: cached.at, revenue: await cached.revenue };
}
