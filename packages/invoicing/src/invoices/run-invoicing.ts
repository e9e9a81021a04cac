import type { RatingTarget } from "@meterplane/billing";
import { Dec } from "@meterplane/core";
import type { Database } from "@meterplane/db";
import { finalizeDrafts } from "./finalize-drafts.ts";
import { type Actor, defaultIssuer, systemActor } from "./lock-invoice.ts";
import {
  periodTarget,
  previousPeriodTarget,
  rateAndStore,
  type SubscriptionTerms,
} from "./rating-targets.ts";

/** A yearly period plus slack: a subscription that ended longer ago than this has nothing left to close. */
const lookBackMs = 400 * 86_400_000;

/**
 * One invoice run at `at`: every subscription's current period is rated into its live draft, and every
 * period that has ended without a final invoice is re-rated (late usage counts) and finalized. All periods
 * are rated together, from a handful of set-based queries, and written with multi-row statements; ended
 * periods are then numbered and finalized in chunks under the issuer's sequence lock.
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
  const subscriptions = await db.prisma.subscription.findMany({
    where: {
      startAt: { lte: at },
      OR: [{ endAt: null }, { endAt: { gt: new Date(at.getTime() - lookBackMs) } }],
    },
    include: { planVersion: { select: { interval: true } } },
  });
  const current = subscriptions.flatMap((s) => periodTarget(s, at) ?? []);
  const ended = await withoutFinalInvoice(db, [
    ...subscriptions.flatMap((s) => previousPeriodTarget(s, at) ?? []),
    ...(await staleDrafts(db, subscriptions, at)),
  ]);
  const written = await rateAndStore({ db, targets: [...current, ...ended], actor, at });
  const drafts = await db.pool.query<{ tenantId: string; id: string }>(
    `SELECT i."tenantId", i.id FROM "Invoice" i
       JOIN unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) AS x(t, s, p)
         ON i."tenantId" = x.t AND i."subscriptionId" = x.s AND i."periodStart" = x.p`,
    [ended.map((t) => t.tenantId), ended.map((t) => t.subscriptionId), ended.map((t) => t.period.start)],
  );
  const finalized = await finalizeDrafts({ db, invoices: drafts.rows, actor, at, issuer });
  return {
    rated: current.length + ended.length,
    draftsWritten: written.length,
    finalized: finalized.map((i) => ({ ...i, total: new Dec(i.total).toFixed() })),
  };
}

/** Drafts of periods that ended before the previous one: left open by runs that did not happen. */
async function staleDrafts(
  db: Database,
  subscriptions: SubscriptionTerms[],
  at: Date,
): Promise<RatingTarget[]> {
  const byId = new Map(subscriptions.map((s) => [`${s.tenantId}|${s.id}`, s]));
  const drafts = await db.prisma.invoice.findMany({
    where: { status: "draft", periodEnd: { lte: at } },
    select: { tenantId: true, subscriptionId: true, periodStart: true, periodEnd: true },
  });
  return drafts.flatMap((d) => {
    const s = byId.get(`${d.tenantId}|${d.subscriptionId}`);
    if (!s) return [];
    const period = { start: d.periodStart, end: d.periodEnd };
    return [
      {
        tenantId: s.tenantId,
        subscriptionId: s.id,
        planVersionId: s.planVersionId,
        startAt: s.startAt,
        endAt: s.endAt,
        period,
      },
    ];
  });
}

/** The ended periods still open (no invoice yet, or only a draft), each once. */
async function withoutFinalInvoice(db: Database, targets: RatingTarget[]): Promise<RatingTarget[]> {
  if (targets.length === 0) return [];
  const { rows } = await db.pool.query<{ tenantId: string; subscriptionId: string; periodStart: Date }>(
    `SELECT i."tenantId", i."subscriptionId", i."periodStart"
       FROM "Invoice" i JOIN unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) AS x(t, s, p)
         ON i."tenantId" = x.t AND i."subscriptionId" = x.s AND i."periodStart" = x.p
      WHERE i.status <> 'draft'`,
    [
      targets.map((t) => t.tenantId),
      targets.map((t) => t.subscriptionId),
      targets.map((t) => t.period.start),
    ],
  );
  const key = (tenantId: string, subscriptionId: string, periodStart: Date) =>
    `${tenantId}|${subscriptionId}|${periodStart.getTime()}`;
  const seen = new Set(rows.map((r) => key(r.tenantId, r.subscriptionId, r.periodStart)));
  return targets.filter((t) => {
    const k = key(t.tenantId, t.subscriptionId, t.period.start);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
