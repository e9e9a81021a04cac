import { type Actor, type Database, withTransaction } from "@meterplane/db";
import { takeNumbers } from "./lock-invoice.ts";

export interface FinalizedDraft {
  tenantId: string;
  id: string;
  number: string;
  total: string;
}

/** Invoices per transaction: one lock of the issuer's sequence numbers a whole chunk. */
const chunkSize = 500;

/**
 * The invoice run's finalization: the drafts among `invoices` whose period ended by `at`, numbered in
 * (tenant, subscription, period) order and finalized in chunks, with the same row locks and sequence as
 * `finalizeInvoice`, so numbers stay gapless and an invoice already final is left alone. Invoices that are
 * not drafts are skipped. Rows are locked in `upsertDrafts`' order, so a run finalizing beside another run's
 * rating cannot deadlock with it.
 */
export async function finalizeDrafts({
  db,
  invoices,
  actor,
  at,
  issuer,
}: {
  db: Database;
  invoices: { tenantId: string; id: string }[];
  actor: Actor;
  at: Date;
  issuer: string;
}): Promise<FinalizedDraft[]> {
  const finalized: FinalizedDraft[] = [];
  for (let i = 0; i < invoices.length; i += chunkSize) {
    const chunk = invoices.slice(i, i + chunkSize);
    const done = await withTransaction(db.pool, async (client) => {
      const sql = async (text: string, params: unknown[]) => (await client.query(text, params)).rows;
      const drafts = (await sql(
        `SELECT i."tenantId", i.id, i.total::text FROM "Invoice" i
           JOIN unnest($1::uuid[], $2::uuid[]) AS x(t, i) ON i."tenantId" = x.t AND i.id = x.i
          WHERE i.status = 'draft' AND i."periodEnd" <= $3
          ORDER BY i."tenantId", i."subscriptionId", i."periodStart" FOR UPDATE OF i`,
        [chunk.map((c) => c.tenantId), chunk.map((c) => c.id), at],
      )) as Omit<FinalizedDraft, "number">[];
      if (drafts.length === 0) return [];
      const numbers = await takeNumbers(sql, issuer, "INV", drafts.length);
      const rows = drafts.map((d, n) => ({ ...d, number: numbers[n]! }));
      await sql(
        `UPDATE "Invoice" i SET status = 'finalized', number = x.n, "finalizedAt" = $4
           FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS x(t, i, n) WHERE i."tenantId" = x.t AND i.id = x.i`,
        [rows.map((r) => r.tenantId), rows.map((r) => r.id), rows.map((r) => r.number), at],
      );
      await sql(
        `INSERT INTO "AuditLog" ("actorKind", "actorId", "tenantId", action, entity, "entityId", before, after)
         SELECT $1, $2, t, 'invoice.finalized', 'invoice', i::text, '{"status":"draft"}'::jsonb,
                jsonb_build_object('status', 'finalized', 'number', n, 'total', tt)
           FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[]) AS x(t, i, n, tt)`,
        [
          actor.kind,
          actor.id ?? null,
          rows.map((r) => r.tenantId),
          rows.map((r) => r.id),
          rows.map((r) => r.number),
          rows.map((r) => r.total),
        ],
      );
      return rows;
    });
    finalized.push(...done);
  }
  return finalized;
}
