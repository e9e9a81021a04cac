import type { DraftInvoice } from "@meterplane/billing";
import { type AuditEntry, type Database, withTransaction } from "@meterplane/db";

type Client = Parameters<Parameters<typeof withTransaction>[1]>[0];

export interface RatedPeriod {
  tenantId: string;
  subscriptionId: string;
  draft: DraftInvoice;
}

export interface UpsertedDraft {
  tenantId: string;
  id: string;
  subscriptionId: string;
  created: boolean;
}

/** Invoices per transaction: large enough for few round trips, small enough to keep locks short. */
const chunkSize = 1000;

/**
 * Stores rated periods as draft invoices with multi-row statements. A draft whose `ratingHash` is unchanged
 * is left exactly as it was, and an invoice past draft is never touched, so the run can repeat safely.
 * Returns the drafts created or replaced; each gets an audit row in the transaction that wrote it.
 */
export async function upsertDrafts({
  db,
  rated,
  actor,
  at = new Date(),
}: {
  db: Database;
  rated: RatedPeriod[];
  actor: AuditEntry["actor"];
  at?: Date;
}): Promise<UpsertedDraft[]> {
  const written: UpsertedDraft[] = [];
  const ordered = [...rated].sort(inLockOrder);
  for (let i = 0; i < ordered.length; i += chunkSize) {
    const chunk = ordered.slice(i, i + chunkSize);
    written.push(...(await withTransaction(db.pool, (client) => writeChunk(client, chunk, actor, at))));
  }
  return written;
}

/**
 * Every statement that locks several invoices takes them in (tenant, subscription, period) order, as
 * Postgres sorts them (lower-case uuid text sorts as the uuid does), so two concurrent runs' upserts and
 * finalizations never hold each other's rows in a cycle.
 */
function inLockOrder(a: RatedPeriod, b: RatedPeriod): number {
  if (a.tenantId !== b.tenantId) return a.tenantId < b.tenantId ? -1 : 1;
  if (a.subscriptionId !== b.subscriptionId) return a.subscriptionId < b.subscriptionId ? -1 : 1;
  return a.draft.periodStart.getTime() - b.draft.periodStart.getTime();
}

async function writeChunk(
  client: Client,
  chunk: RatedPeriod[],
  actor: AuditEntry["actor"],
  at: Date,
): Promise<UpsertedDraft[]> {
  const { rows } = await client.query<
    UpsertedDraft & { ratingHash: string; total: string; periodStart: Date }
  >(
    `INSERT INTO "Invoice" ("tenantId", id, "subscriptionId", status, currency, "periodStart", "periodEnd",
                            subtotal, total, "ratingHash", "ratedAt")
     SELECT t, gen_random_uuid(), s, 'draft', c, ps, pe, st, tt, h, $9
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::numeric[],
                   $7::numeric[], $8::text[]) AS x(t, s, c, ps, pe, st, tt, h)
     ON CONFLICT ("tenantId", "subscriptionId", "periodStart") DO UPDATE
        SET currency = EXCLUDED.currency, "periodEnd" = EXCLUDED."periodEnd", subtotal = EXCLUDED.subtotal,
            total = EXCLUDED.total, "ratingHash" = EXCLUDED."ratingHash", "ratedAt" = EXCLUDED."ratedAt"
      WHERE "Invoice".status = 'draft' AND "Invoice"."ratingHash" <> EXCLUDED."ratingHash"
     RETURNING "tenantId", id, "subscriptionId", (xmax = 0) AS created, "ratingHash", total::text,
               "periodStart"`,
    [
      chunk.map((r) => r.tenantId),
      chunk.map((r) => r.subscriptionId),
      chunk.map((r) => r.draft.currency),
      chunk.map((r) => r.draft.periodStart),
      chunk.map((r) => r.draft.periodEnd),
      chunk.map((r) => r.draft.subtotal),
      chunk.map((r) => r.draft.total),
      chunk.map((r) => r.draft.ratingHash),
      at,
    ],
  );
  if (rows.length === 0) return [];
  const key = (tenantId: string, subscriptionId: string, periodStart: Date) =>
    `${tenantId}|${subscriptionId}|${periodStart.getTime()}`;
  const draftOf = new Map(
    chunk.map((r) => [key(r.tenantId, r.subscriptionId, r.draft.periodStart), r.draft]),
  );
  const replaced = rows.filter((r) => !r.created);
  if (replaced.length > 0) {
    await client.query(
      `DELETE FROM "InvoiceLine" l USING unnest($1::uuid[], $2::uuid[]) AS x(t, i)
        WHERE l."tenantId" = x.t AND l."invoiceId" = x.i`,
      [replaced.map((r) => r.tenantId), replaced.map((r) => r.id)],
    );
  }
  const lines = rows.flatMap((invoice) =>
    (draftOf.get(key(invoice.tenantId, invoice.subscriptionId, invoice.periodStart))?.lines ?? []).map(
      (line) => ({ invoice, line }),
    ),
  );
  await client.query(
    `INSERT INTO "InvoiceLine" ("tenantId", id, "invoiceId", "chargeId", position, description, quantity,
                                "unitPrice", amount, tiers, sources, kind)
     SELECT t, gen_random_uuid(), i, c, p, d, q, u, a, tr, so, k
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::int[], $5::text[], $6::numeric[], $7::numeric[],
                   $8::numeric[], $9::jsonb[], $10::jsonb[], $11::"InvoiceLineKind"[])
            AS x(t, i, c, p, d, q, u, a, tr, so, k)`,
    [
      lines.map((l) => l.invoice.tenantId),
      lines.map((l) => l.invoice.id),
      lines.map((l) => l.line.chargeId),
      lines.map((l) => l.line.position),
      lines.map((l) => l.line.description),
      lines.map((l) => l.line.quantity),
      lines.map((l) => l.line.unitPrice),
      lines.map((l) => l.line.amount),
      lines.map((l) => JSON.stringify(l.line.tiers)),
      lines.map((l) => JSON.stringify(l.line.sources)),
      lines.map((l) => l.line.kind),
    ],
  );
  await client.query(
    `INSERT INTO "AuditLog" ("actorKind", "actorId", "tenantId", action, entity, "entityId", after)
     SELECT $1, $2, t, CASE WHEN c THEN 'invoice.draft_created' ELSE 'invoice.draft_rerated' END, 'invoice', i::text,
            jsonb_build_object('ratingHash', h, 'total', tt)
       FROM unnest($3::uuid[], $4::uuid[], $5::boolean[], $6::text[], $7::text[]) AS x(t, i, c, h, tt)`,
    [
      actor.kind,
      actor.id ?? null,
      rows.map((r) => r.tenantId),
      rows.map((r) => r.id),
      rows.map((r) => r.created),
      rows.map((r) => r.ratingHash),
      rows.map((r) => r.total),
    ],
  );
  return rows.map(({ tenantId, id, subscriptionId, created }) => ({ tenantId, id, subscriptionId, created }));
}
