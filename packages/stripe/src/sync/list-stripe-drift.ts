import type { Database } from "@meterplane/db";

/**
 * Invoices finalized in Stripe whose later changes here have not reached it yet: a status not mirrored, or
 * a credit note with no Stripe counterpart. The worker enqueues their syncs on a timer, so a change made
 * in the portal reaches Stripe even when the process that made it died before enqueueing anything.
 */
export async function listStripeDrift({ db, limit = 500 }: { db: Database; limit?: number }) {
  const { rows } = await db.pool.query<{ tenantId: string; invoiceId: string }>(
    `SELECT si."tenantId", si."invoiceId" FROM "StripeInvoice" si
       JOIN "Invoice" i ON i."tenantId" = si."tenantId" AND i.id = si."invoiceId"
      WHERE si.state = 'finalized'
        AND (si."mirroredStatus" IS DISTINCT FROM i.status
             OR EXISTS (SELECT 1 FROM "CreditNote" cn
                         WHERE cn."tenantId" = si."tenantId" AND cn."invoiceId" = si."invoiceId"
                           AND NOT EXISTS (SELECT 1 FROM "StripeCreditNote" scn
                                            WHERE scn."tenantId" = cn."tenantId" AND scn."creditNoteId" = cn.id)))
      LIMIT $1`,
    [limit],
  );
  return rows;
}
