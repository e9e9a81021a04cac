import { AppError } from "@meterplane/core";
import type { Actor, Database, Prisma } from "@meterplane/db";

/** What each change of an invoice's status takes: whose invoice, who changes it, and when. */
export interface InvoiceChange {
  db: Database;
  tenantId: string;
  invoiceId: string;
  actor: Actor;
  at?: Date;
}

/**
 * Numbers come from one sequence row per issuer: the default issuer numbers `INV-000001`, `INV-000002`…,
 * any other `INV-<issuer>-000001`, since numbers are unique across issuers.
 */
export const defaultIssuer = "default";

export function numberPrefix(issuer: string, kind: "INV" | "CN"): string {
  return issuer === defaultIssuer ? kind : `${kind}-${issuer}`;
}

/** Generous: concurrent finalizations queue on the same sequence row, each waiting for the one before. */
export const transactionOptions = { maxWait: 60_000, timeout: 60_000 };

/** The invoice, row-locked until the transaction ends, so its state cannot change under the caller. */
export async function lockInvoice(tx: Prisma.TransactionClient, tenantId: string, invoiceId: string) {
  const locked = await tx.$queryRaw<unknown[]>`
    SELECT 1 FROM "Invoice" WHERE "tenantId" = ${tenantId}::uuid AND id = ${invoiceId}::uuid FOR UPDATE`;
  if (locked.length === 0) throw new AppError("NOT_FOUND", `invoice ${invoiceId} not found`);
  return tx.invoice.findUniqueOrThrow({
    where: { tenantId_id: { tenantId, id: invoiceId } },
    include: { creditNotes: true },
  });
}

/** A query in whichever client the caller's transaction runs on (Prisma's or pg's). */
export type RunSql = (text: string, params: unknown[]) => Promise<unknown[]>;

export const prismaSql =
  (tx: Prisma.TransactionClient): RunSql =>
  (text, params) =>
    tx.$queryRawUnsafe(text, ...params);

/**
 * The issuer's next `count` numbers, taken under the sequence row's lock, which is held until the caller's
 * transaction ends: a rolled-back finalization gives its numbers back, so numbers never skip.
 */
export async function takeNumbers(
  sql: RunSql,
  issuer: string,
  kind: "INV" | "CN",
  count: number,
): Promise<string[]> {
  const sequence = kind === "INV" ? issuer : `${issuer}/credit-notes`;
  await sql(
    `INSERT INTO "InvoiceNumberSequence" (issuer, prefix) VALUES ($1, $2) ON CONFLICT (issuer) DO NOTHING`,
    [sequence, numberPrefix(issuer, kind)],
  );
  const [row] = (await sql(
    `UPDATE "InvoiceNumberSequence" SET next = next + $2 WHERE issuer = $1 RETURNING prefix, (next - $2)::text AS first`,
    [sequence, count],
  )) as { prefix: string; first: string }[];
  if (!row) throw new Error(`invoice number sequence ${sequence} vanished`);
  return Array.from(
    { length: count },
    (_, i) => `${row.prefix}-${String(BigInt(row.first) + BigInt(i)).padStart(6, "0")}`,
  );
}
