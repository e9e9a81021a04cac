import type { Database } from "@meterplane/db";

export interface LastBatch {
  sequence: bigint;
  receivedAt: Date;
}

/** Each host's last acknowledged batch (from the batch keys' primary key: one index probe per host). */
export async function lastBatches({
  db,
  hostIds,
}: {
  db: Database;
  hostIds: string[];
}): Promise<Map<string, LastBatch>> {
  if (!hostIds.length) return new Map();
  const { rows } = await db.pool.query<{ hostId: string; sequence: string; receivedAt: Date }>(
    `SELECT h.id AS "hostId", k.sequence, k."receivedAt"
       FROM unnest($1::uuid[]) AS h(id)
       CROSS JOIN LATERAL (SELECT sequence, "receivedAt" FROM "BatchKey" WHERE "hostId" = h.id
                            ORDER BY sequence DESC LIMIT 1) k`,
    [hostIds],
  );
  return new Map(
    rows.map((row) => [row.hostId, { sequence: BigInt(row.sequence), receivedAt: row.receivedAt }]),
  );
}
