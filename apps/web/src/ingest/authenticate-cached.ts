import { createHash } from "node:crypto";
import type { Database } from "@meterplane/db";
import { type AuthenticatedHost, authenticateHost } from "@meterplane/fleet";
import { type HostEnvironments, loadHostEnvironments } from "@meterplane/usage";

/**
 * How long a verified host credential, and the host's environments, are trusted without asking Postgres
 * again. This bounds how late a revocation, a host's removal or an environment's removal takes effect on a
 * web process: at most this long after it is recorded. (A new environment is seen at once: ingest reloads
 * the environments when a sample names one it does not know.)
 */
export const hostCacheTtlMs = 5_000;
const maxEntries = 10_000;

interface CachedHost {
  host: AuthenticatedHost;
  environments: HostEnvironments;
}

const cache = new Map<string, CachedHost & { until: number }>();

/**
 * `authenticateHost` (a lookup by the token's public prefix and a constant-time comparison of the secret's
 * hash) with a few seconds of memory, so steady ingest costs no credential query per batch. Entries are
 * keyed by the SHA-256 of the whole header: the map never holds a secret, and a lookup by digest reveals
 * nothing through its timing. Only successes are kept; `fresh` says whether Postgres was asked this time.
 */
export async function authenticateHostCached({
  db,
  authorization,
}: {
  db: Database;
  authorization: string | null;
}): Promise<CachedHost & { fresh: boolean }> {
  const key = createHash("sha256")
    .update(authorization ?? "")
    .digest("base64url");
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && hit.until > now) return { host: hit.host, environments: hit.environments, fresh: false };
  cache.delete(key);
  const host = await authenticateHost({ db, authorization });
  const environments = await loadHostEnvironments(db, host.hostId);
  if (cache.size >= maxEntries) cache.clear();
  cache.set(key, { host, environments, until: now + hostCacheTtlMs });
  return { host, environments, fresh: true };
}
