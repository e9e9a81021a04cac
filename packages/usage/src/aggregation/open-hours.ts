import type pg from "pg";

/** The first key of the advisory locks on hours ("SEAL"); the second is the hour's number since the epoch. */
export const hourLockClass = 0x5345414c;

export const hourMs = 3_600_000;

/**
 * Locks the hours a group writes against their seal and reads where the seal stands; returns `sealedBefore`
 * (epoch ms). Hours before it are sealed: the group folds its rows of them into days and months itself (a
 * late batch). Hours at or after it are open: their rows go to `UsageHourly` only, and the seal folds them
 * once the hour is over (see `sealHours`).
 *
 * Why no sample is counted twice or lost: sealing hour H holds H's lock exclusively from before it reads
 * H's rows until it commits `sealedBefore = H + 1 hour`, and a group holds H's lock shared from before it
 * reads `sealedBefore` until it commits. So either the group locked H first: the seal waits for it to
 * commit, the group found H open and wrote it to `UsageHourly` only, and the seal's fold (a statement
 * begun after the wait, so its snapshot holds every committed row of H) adds those rows to the days. Or the
 * seal locked H first: the group waits for it to commit, then reads (in a statement begun after the wait)
 * that H is sealed and adds its rows to the days itself, on top of the sealed ones. Locks are shared among
 * groups, so groups never wait for each other here, and taken in ascending order; a deadlock with a seal
 * through some other lock is retried as any other (`retryableCodes`).
 */
export async function lockOpenHours(client: pg.PoolClient, hours: Iterable<number>): Promise<number> {
  for (const hour of [...new Set(hours)].sort((a, b) => a - b))
    await client.query(`SELECT pg_advisory_xact_lock_shared($1, $2)`, [hourLockClass, hour / hourMs]);
  const { rows } = await client.query<{ sealedBefore: Date }>(`SELECT "sealedBefore" FROM "UsageSeal"`);
  if (!rows[0]) throw new Error(`"UsageSeal" has no row: its migration inserts it`);
  return rows[0].sealedBefore.getTime();
}
