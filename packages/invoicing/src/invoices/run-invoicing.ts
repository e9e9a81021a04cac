import type { RatingTarget } from "@meterplane/billing";
import { Dec } from "@meterplane/core";
import type { Database } from "@meterplane/db";
import { type Actor, systemActor } from "@meterplane/db";
import { finalizeDrafts } from "./finalize-drafts.ts";
import { defaultIssuer } from "./lock-invoice.ts";
import { endedPeriodTargets, periodTarget, rateAndStore } from "./rating-targets.ts";

/**
 * How far back a run closes periods: a yearly period plus slack. A subscription that ended longer ago has
 * nothing left to close, and a period that ended longer ago is not back-filled: runs missed for over a year are
 * an incident to settle by hand, not a pile of invoices to send unseen, and it bounds a run's work per
 * subscription (at most 14 monthly periods) however old the subscription is.
 */
const lookBackMs = 400 * 86_400_000;

/**
 * One invoice run at `at`: every subscription's current period is rated into its live draft, and every
 * period that ended within the look-back without a final invoice (none yet, or only a draft: the previous
 * period, or any that runs that did not happen left open) is re-rated (late usage counts) and finalized.
 * A period whose invoice was voided stays closed. All periods are rated together, from a handful of
 * set-based queries, and written with multi-row statements; ended periods are then numbered and finalized
 * in chunks under the issuer's sequence lock.
 */
export async function runInvoicing({
  db,
  at,
  actor = systemActor,
  issuer = defaultIssuer,
}: {
  db: Database;
  at: Date;
  actor?: Actor;
  issuer?: string;
}) {
  const since = new Date(at.getTime() - lookBackMs);
  const subscriptions = await db.prisma.subscription.findMany({
    where: { startAt: { lte: at }, OR: [{ endAt: null }, { endAt: { gt: since } }] },
    include: { planVersion: { select: { interval: true } } },
  });
  const current = subscriptions.flatMap((s) => periodTarget(s, at) ?? []);
  const ended = await withoutFinalInvoice(
    db,
    subscriptions.flatMap((s) => endedPeriodTargets(s, since, at)),
  );
  const written = await rateAndStore({ db, targets: [...current, ...ended], actor, at });
  // Every draft of an ended period, not only those just re-rated: a draft whose period no longer lines up
  // with its subscription's (moved to a plan of another interval) is closed as last rated, never left open.
  const drafts = await db.pool.query<{ tenantId: string; id: string }>(
    `SELECT "tenantId", id FROM "Invoice" WHERE status = 'draft' AND "periodEnd" <= $1 AND "periodEnd" > $2`,
    [at, since],
  );
  const finalized = await finalizeDrafts({ db, invoices: drafts.rows, actor, at, issuer });
  return {
    rated: current.length + ended.length,
    draftsWritten: written.length,
    finalized: finalized.map((i) => ({ ...i, total: new Dec(i.total).toFixed() })),
  };
}

/**
 * The ended periods still open: no invoice yet, or only a draft. Only their positions come back, as most
 * periods of a steady run are long closed.
 */
async function withoutFinalInvoice(db: Database, targets: RatingTarget[]): Promise<RatingTarget[]> {
  if (targets.length === 0) return [];
  const { rows } = await db.pool.query<{ n: string }>(
    `SELECT x.n FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) WITH ORDINALITY AS x(t, s, p, n)
      WHERE NOT EXISTS (SELECT FROM "Invoice" i
                         WHERE i."tenantId" = x.t AND i."subscriptionId" = x.s AND i."periodStart" = x.p
                           AND i.status <> 'draft')`,
    [
      targets.map((t) => t.tenantId),
      targets.map((t) => t.subscriptionId),
      targets.map((t) => t.period.start),
    ],
  );
  return rows.map((r) => targets[Number(r.n) - 1]!);
}
