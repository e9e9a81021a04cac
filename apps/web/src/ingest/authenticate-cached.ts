import { createHash } from "node:crypto";
import type { Database } from "@meterplane/db";
import { type AuthenticatedHost, authenticateHost, requiredCollectorVersion } from "@meterplane/fleet";
import { type HostEnvironments, loadHostEnvironments } from "@meterplane/usage";

/**
 * How often a web process reads the ingest cache epoch (`IngestCacheEpoch`, moved by triggers whenever a
 * credential, host, environment, assignment or minimum collector version changes in a way that could refuse
 * a batch). A revocation, a host's or an environment's removal, a move or a raised minimum takes effect on
 * a web process within about this long after its commit (plus one read of the epoch). (A new environment is
 * seen at once: ingest reloads the environments when a sample names one it does not know.)
 */
export const epochCheckMs = 1_000;
/**
 * A safety net, not the bound: an entry is asked again this long after it was loaded even if the epoch never
 * moved, spread over a tenth of it so a fleet's hosts do not all reload on the same tick.
 */
const maxAgeMs = 300_000;
const maxEntries = 100_000;

interface CachedHost {
  host: AuthenticatedHost;
  environments: HostEnvironments;
  /** The oldest collector version this host may ship with (null: none). */
  minimumCollectorVersion: string | null;
}

const cache = new Map<string, CachedHost & { until: number; generation: number }>();
/** Moves (and empties the cache) each time the epoch read differs from the last one read. */
let generation = 0;
let epoch: string | undefined;
let check: { at: number; done: Promise<void> } | undefined;

/**
 * Reads the epoch at most once per `epochCheckMs` for every request of this process: one small query a
 * second, not one per batch. A request waits for the read it shares, so no cached entry is used once a
 * change committed more than a read ago; a failed read fails the requests that shared it (Postgres away).
 */
function checkEpoch(db: Database): Promise<void> {
  const now = Date.now();
  if (!check || now - check.at > epochCheckMs) {
    const done = db.pool
      .query<{ epoch: string }>(`SELECT "epoch"::text FROM "IngestCacheEpoch" WHERE "id" = 1`)
      .then(({ rows }) => {
        const read = rows[0]?.epoch ?? "none";
        if (read !== epoch) {
          epoch = read;
          generation++;
          cache.clear();
        }
      });
    check = { at: now, done };
    done.catch(() => {
      if (check?.done === done) check = undefined;
    });
  }
  return check.done;
}

/**
 * `authenticateHost` (a lookup by the token's public prefix and a constant-time comparison of the secret's
 * hash), the host's environments and its minimum collector version, remembered until the ingest cache epoch
 * moves, so steady ingest costs no query per batch. Entries are keyed by the SHA-256 of the whole header: the
 * map never holds a secret, and a lookup by digest reveals nothing through its timing. Only successes are
 * kept. An entry loaded while the epoch moved is not trusted: it may have read rows from before the change.
 */
export async function authenticateHostCached({
  db,
  authorization,
}: {
  db: Database;
  authorization: string | null;
}): Promise<CachedHost> {
  await checkEpoch(db);
  const key = createHash("sha256")
    .update(authorization ?? "")
    .digest("base64url");
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && hit.generation === generation && hit.until > now) return hit;
  cache.delete(key);
  const loadedIn = generation;
  const host = await authenticateHost({ db, authorization });
  const [environments, minimumCollectorVersion] = await Promise.all([
    loadHostEnvironments(db, host.hostId),
    requiredCollectorVersion({ db, hostId: host.hostId }),
  ]);
  if (cache.size >= maxEntries) cache.clear();
  const entry = {
    host,
    environments,
    minimumCollectorVersion,
    generation: loadedIn,
    until: now + maxAgeMs - Math.random() * (maxAgeMs / 10),
  };
  cache.set(key, entry);
  return entry;
}
