import { type PickerMatches, pickerLimit, pickerMatches, searchPatterns } from "@meterplane/core";
import type { Database } from "@meterplane/db";

/**
 * Active tenants whose name or slug contains `q` (any case), those starting with it first, then by name:
 * what a form's tenant picker offers. `id` instead looks up the one tenant a form already holds (whatever its
 * status), to show its name again. A seq scan of the tenants is well under a millisecond at 1,000 of them
 * (DESIGN.md "Portal speed"); no index serves a substring search short of trigrams.
 */
export async function searchTenants({
  db,
  q = "",
  id,
}: {
  db: Database;
  q?: string;
  id?: string;
}): Promise<PickerMatches> {
  const label = `t.name || ' (' || t.slug || ')'`;
  if (id) {
    const { rows } = await db.pool.query<{ id: string; label: string }>(
      `SELECT t.id, ${label} AS label FROM "Tenant" t WHERE t.id = $1`,
      [id],
    );
    return pickerMatches(rows);
  }
  const { contains, prefix } = searchPatterns(q);
  const { rows } = await db.pool.query<{ id: string; label: string }>(
    `SELECT t.id, ${label} AS label
       FROM "Tenant" t
      WHERE t.status = 'active' AND (t.name ILIKE $1 OR t.slug ILIKE $1)
      ORDER BY (t.name ILIKE $2 OR t.slug ILIKE $2) DESC, lower(t.name), t.id
      LIMIT ${pickerLimit + 1}`,
    [contains, prefix],
  );
  return pickerMatches(rows);
}

/**
 * Live hosts whose name contains `q` (any case), those starting with it first, then by name, leaving out
 * `exclude` (the host an environment is on already): what a form's host picker offers. `id` looks up one.
 */
export async function searchHosts({
  db,
  q = "",
  id,
  exclude,
}: {
  db: Database;
  q?: string;
  id?: string;
  exclude?: string;
}): Promise<PickerMatches> {
  if (id) {
    const { rows } = await db.pool.query<{ id: string; label: string }>(
      `SELECT h.id, h.name AS label FROM "Host" h WHERE h.id = $1`,
      [id],
    );
    return pickerMatches(rows);
  }
  const { contains, prefix } = searchPatterns(q);
  const { rows } = await db.pool.query<{ id: string; label: string }>(
    `SELECT h.id, h.name AS label
       FROM "Host" h
      WHERE h."removedAt" IS NULL AND h.name ILIKE $1 AND h.id IS DISTINCT FROM $3::uuid
      ORDER BY (h.name ILIKE $2) DESC, lower(h.name), h.id
      LIMIT ${pickerLimit + 1}`,
    [contains, prefix, exclude ?? null],
  );
  return pickerMatches(rows);
}
