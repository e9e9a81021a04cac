import { AppError } from "@meterplane/core";
import type { Database } from "@meterplane/db";
import { compareVersions } from "@meterplane/wire";

/** The oldest collector version a host may ship with: the stricter of its group's minimum and the global one. */
export async function requiredCollectorVersion({
  db,
  hostId,
}: {
  db: Database;
  hostId: string;
}): Promise<string | null> {
  const { rows } = await db.pool.query<{ version: string }>(
    `SELECT m.version FROM "MinimumCollectorVersion" m JOIN "Host" h ON h.id = $1
      WHERE m."group" IS NULL OR m."group" = h."group"`,
    [hostId],
  );
  return (
    rows
      .map((row) => row.version)
      .sort(compareVersions)
      .at(-1) ?? null
  );
}

/**
 * Refuses a collector below the minimum with 426 UPGRADE_REQUIRED. The version checked is the one shipping
 * (its `X-Collector-Version`), not the one that wrote the batch: an upgraded collector ships what its
 * predecessor spooled. A client that does not say its version is treated as too old once a minimum exists.
 */
export function assertCollectorVersion(version: string | undefined, minimum: string | null): void {
  if (!minimum) return;
  if (version && /^\d+\.\d+\.\d+$/.test(version) && compareVersions(version, minimum) >= 0) return;
  throw new AppError(
    "UPGRADE_REQUIRED",
    `this host must run collector ${minimum} or later (this is ${version ?? "an unnamed version"}); batches stay in its spool until it upgrades`,
    { minimumVersion: minimum },
  );
}
