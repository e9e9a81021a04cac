import type { Database } from "@meterplane/db";
import { recordHostContacts } from "@meterplane/fleet";

/** How often the hosts whose batches this process took are written down (`Host.lastSeenAt`). */
export const hostContactEveryMs = 5_000;

const seen = new Map<string, string>();
let scheduled = false;

/**
 * Notes that a host called in with this collector version; every `hostContactEveryMs` the hosts noted are
 * written in one statement (`recordHostContacts`), so steady ingest costs no write per batch and the
 * portal's "last seen" is at most that much older than it was. A write that fails (Postgres away) keeps
 * its hosts for the next one.
 */
export function noteHostContact(db: Database, hostId: string, collectorVersion: string): void {
  seen.set(hostId, collectorVersion);
  if (!scheduled) schedule(db);
}

function schedule(db: Database): void {
  scheduled = true;
  setTimeout(() => void flush(db), hostContactEveryMs).unref();
}

async function flush(db: Database): Promise<void> {
  const contacts = [...seen].map(([hostId, collectorVersion]) => ({ hostId, collectorVersion }));
  seen.clear();
  try {
    await recordHostContacts({ db, contacts });
  } catch {
    for (const { hostId, collectorVersion } of contacts)
      if (!seen.has(hostId)) seen.set(hostId, collectorVersion);
  } finally {
    scheduled = false;
    if (seen.size) schedule(db);
  }
}
