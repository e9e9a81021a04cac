import type { Database } from "@meterplane/db";

/** Remembers when a host last called in and with which collector version (for the portal's host list). */
export async function recordHostContact({
  db,
  hostId,
  collectorVersion,
}: {
  db: Database;
  hostId: string;
  collectorVersion: string;
}) {
  await db.pool.query(
    `UPDATE "Host" SET "lastSeenAt" = now(), "collectorVersion" = $2
      WHERE id = $1 AND ("lastSeenAt" IS NULL OR "lastSeenAt" < now() - interval '5 seconds' OR "collectorVersion" IS DISTINCT FROM $2)`,
    [hostId, collectorVersion],
  );
}

/**
 * `recordHostContact` for many hosts in one statement: ingest remembers the hosts whose batches it took and
 * writes them every few seconds, so a batch costs no write of its own beyond its insert.
 */
export async function recordHostContacts({
  db,
  contacts,
}: {
  db: Database;
  contacts: { hostId: string; collectorVersion: string }[];
}) {
  if (!contacts.length) return;
  await db.pool.query(
    `UPDATE "Host" h SET "lastSeenAt" = now(), "collectorVersion" = c.version
       FROM unnest($1::uuid[], $2::text[]) AS c(id, version)
      WHERE h.id = c.id
        AND (h."lastSeenAt" IS NULL OR h."lastSeenAt" < now() - interval '5 seconds' OR h."collectorVersion" IS DISTINCT FROM c.version)`,
    [contacts.map((c) => c.hostId), contacts.map((c) => c.collectorVersion)],
  );
}
