import type { Database } from "@meterplane/db";
import { assertCollectorVersion, requiredCollectorVersion } from "@meterplane/fleet";
import { hostCacheTtlMs } from "./authenticate-cached";

const minimums = new Map<string, { version: string | null; until: number }>();

/**
 * 426 UPGRADE_REQUIRED for a collector below its host's minimum, before the body is read. The minimum is
 * remembered as long as the host's credential is, so a forced upgrade reaches every web process within
 * `hostCacheTtlMs` and steady ingest costs no query for it.
 */
export async function requireCollectorVersion({
  db,
  hostId,
  version,
}: {
  db: Database;
  hostId: string;
  version: string | string[] | undefined;
}): Promise<void> {
  const now = Date.now();
  let minimum = minimums.get(hostId);
  if (!minimum || minimum.until <= now) {
    if (minimums.size >= 10_000) minimums.clear();
    minimum = { version: await requiredCollectorVersion({ db, hostId }), until: now + hostCacheTtlMs };
    minimums.set(hostId, minimum);
  }
  assertCollectorVersion(typeof version === "string" ? version : undefined, minimum.version);
}
