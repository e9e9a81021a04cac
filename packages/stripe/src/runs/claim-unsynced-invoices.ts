import type { Database } from "@meterplane/db";

/**
 * Gives every finalized invoice of periods ending by `at` a sync record linked to this run (an invoice
 * keeps the run that first claimed it) and returns those not yet in Stripe and not failed, to enqueue.
 * Only invoices still open are sent: one voided or paid before its sync ran is left to the sync, which
 * or this claim marks it skipped, and it is never created. Failed ones wait
 * for a person to retry them from the portal.
 */
export async function claimUnsyncedInvoices({ db, runId, at }: { db: Database; runId: string; at: Date }) {
  await db.pool.query(
    `INSERT INTO "StripeInvoice" ("tenantId", "invoiceId", "invoiceRunId", "updatedAt")
     SELECT i."tenantId", i.id, $1, now() FROM "Invoice" i
      WHERE i.status = 'finalized' AND i."periodEnd" <= $2
     ON CONFLICT ("tenantId", "invoiceId") DO NOTHING`,
    [runId, at],
  );
  // Never attempted and no longer open: nothing can be in Stripe, so it is settled without a request.
  await db.pool.query(
    `UPDATE "StripeInvoice" si SET state = 'skipped', "updatedAt" = now()
       FROM "Invoice" i
      WHERE i."tenantId" = si."tenantId" AND i.id = si."invoiceId" AND i."periodEnd" <= $1
        AND si.state = 'pending' AND si.attempts = 0 AND i.status <> 'finalized'`,
    [at],
  );
  const { rows } = await db.pool.query<{ tenantId: string; invoiceId: string }>(
    `UPDATE "StripeInvoice" si SET "invoiceRunId" = coalesce(si."invoiceRunId", $1)
       FROM "Invoice" i
      WHERE i."tenantId" = si."tenantId" AND i.id = si."invoiceId" AND i."periodEnd" <= $2
        AND si.state NOT IN ('finalized', 'failed', 'skipped')
        AND (i.status = 'finalized' OR si.attempts > 0)
     RETURNING si."tenantId", si."invoiceId"`,
    [runId, at],
  );
  return rows;
}
