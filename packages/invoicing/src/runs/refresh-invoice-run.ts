import { type Database, withTransaction } from "@meterplane/db";

/**
 * Recomputes a run's record from its invoices' sync records: counts (an invoice skipped because it was no
 * longer open when its sync ran counts as done), retries (attempts beyond the first),
 * totals per currency, failures, and whether it is settled. Derived rather than incremented, so a job that
 * runs twice cannot count twice; the row lock orders concurrent refreshes so the last one sees all commits.
 */
export async function refreshInvoiceRun({ db, runId }: { db: Database; runId: string }) {
  return withTransaction(db.pool, async (client) => {
    await client.query(`SELECT 1 FROM "InvoiceRun" WHERE id = $1 FOR UPDATE`, [runId]);
    const { rows } = await client.query(
      `WITH linked AS (
         SELECT si.*, i.number, i.currency, i.total AS amount FROM "StripeInvoice" si
           JOIN "Invoice" i ON i."tenantId" = si."tenantId" AND i.id = si."invoiceId"
          WHERE si."invoiceRunId" = $1),
       s AS (
         SELECT count(*)::int AS total,
                count(*) FILTER (WHERE state IN ('finalized', 'skipped'))::int AS succeeded,
                count(*) FILTER (WHERE state = 'failed')::int AS failed,
                coalesce(sum(greatest(attempts - 1, 0)), 0)::int AS retries,
                coalesce(jsonb_agg(jsonb_build_object('tenantId', "tenantId", 'invoiceId', "invoiceId",
                  'number', number, 'error', "lastError", 'attempts', attempts)) FILTER (WHERE state = 'failed'), '[]') AS failures
           FROM linked),
       a AS (
         SELECT coalesce(jsonb_object_agg(currency, amount), '{}') AS amounts
           FROM (SELECT currency, trim_scale(sum(amount))::text AS amount FROM linked GROUP BY currency) per_currency)
       UPDATE "InvoiceRun" r
          SET total = s.total, succeeded = s.succeeded, failed = s.failed, retries = s.retries,
              amounts = a.amounts, failures = s.failures,
              status = (CASE WHEN s.succeeded + s.failed < s.total THEN 'running'
                             WHEN s.failed > 0 THEN 'failed' ELSE 'completed' END)::"InvoiceRunStatus",
              "finishedAt" = CASE WHEN s.succeeded + s.failed < s.total THEN NULL
                                  ELSE coalesce(r."finishedAt", now()) END
         FROM s, a
        WHERE r.id = $1
       RETURNING r.*`,
      [runId],
    );
    return rows[0] as
      | { id: string; status: string; total: number; succeeded: number; failed: number; retries: number }
      | undefined;
  });
}
