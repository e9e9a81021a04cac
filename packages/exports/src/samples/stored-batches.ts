import type { Database } from "@meterplane/db";
import { type FlatBatch, readStoredBatch } from "@meterplane/wire";

/** Bodies per page, and the compressed bytes a page may reach before its last body… */
const pageRows = 256;
const pageBytes = 2 * 1024 * 1024;

// …so a page, all this process holds of Postgres' data at a time, stays small however large the batches
// (up to 10,000 samples each). The running sum reads each body's length from its TOAST header: bodies past
// the budget are never fetched. Pages follow the primary key (id, receivedAt), which every day partition
// indexes, so each page is an index range scan, not a sort of the whole range.
const pageSql = `
SELECT id, "receivedAt", body FROM (
  SELECT id, "receivedAt", body, sum(octet_length(body)) OVER (ORDER BY id, "receivedAt") - octet_length(body) AS before
    FROM "SampleBatch"
   WHERE "receivedAt" >= $1 AND "receivedAt" < $2
     AND ($3::uuid IS NULL OR $3::uuid = ANY("tenantIds"))
     AND (id, "receivedAt") > ($4::bigint, $5::timestamptz)
   ORDER BY id, "receivedAt"
   LIMIT ${pageRows}
) page
WHERE before < ${pageBytes}
ORDER BY id, "receivedAt"`;

export interface StoredBatchRange {
  db: Database;
  /** Only batches holding samples of this tenant; null for every batch. */
  tenantId: string | null;
  receivedFrom: Date;
  receivedTo: Date;
  /** Stops before the next page once aborted. */
  signal: AbortSignal;
}

/**
 * The stored bodies of the batches received in [receivedFrom, receivedTo), a page per query. No
 * connection or transaction is held between pages, so a consumer that stops reading holds nothing in
 * Postgres; a batch stored meanwhile is read if it sorts after the page being read, like any batch that
 * arrives after an export started.
 */
async function* storedBatchPages(range: StoredBatchRange): AsyncGenerator<Buffer[]> {
  let after: { id: string; receivedAt: Date } = {
    id: "-9223372036854775808",
    receivedAt: range.receivedFrom,
  };
  while (!range.signal.aborted) {
    const { rows } = await range.db.pool.query<{ id: string; receivedAt: Date; body: Buffer }>(pageSql, [
      range.receivedFrom,
      range.receivedTo,
      range.tenantId,
      after.id,
      after.receivedAt,
    ]);
    const last = rows.at(-1);
    if (!last) return;
    yield rows.map((row) => row.body);
    after = last;
  }
}

/**
 * The batches received in [receivedFrom, receivedTo), decoded one at a time as the consumer asks, as flat
 * samples whichever wire form they were stored in.
 */
export async function* storedBatches(range: StoredBatchRange): AsyncGenerator<FlatBatch> {
  for await (const bodies of storedBatchPages(range)) for (const body of bodies) yield readStoredBatch(body);
}
