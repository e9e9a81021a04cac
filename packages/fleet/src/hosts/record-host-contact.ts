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
