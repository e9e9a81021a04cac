import { type PickerMatches, pickerLimit, pickerMatches, searchPatterns } from "@meterplane/core";
import type { Database } from "@meterplane/db";

/** How a plan version is named wherever one is picked: "Pro v2 (USD)"; the search below builds the same in SQL. */
export function planVersionLabel(v: { plan: { name: string }; version: number; currency: string }): string {
  return `${v.plan.name} v${v.version} (${v.currency})`;
}

/**
 * Plan versions whose plan's name or code contains `q` (any case), plans starting with it first, then by plan
 * name and newest version first, leaving out `exclude` (the version a subscription is on already): what a
 * form's plan picker offers. `id` looks up the one version a form already holds, to show its name again.
 */
export async function searchPlanVersions({
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
  const select = `SELECT v.id, p.name || ' v' || v.version || ' (' || v.currency || ')' AS label
                    FROM "PlanVersion" v JOIN "Plan" p ON p.id = v."planId"`;
  if (id) {
    const { rows } = await db.pool.query<{ id: string; label: string }>(`${select} WHERE v.id = $1`, [id]);
    return pickerMatches(rows);
  }
  const { contains, prefix } = searchPatterns(q);
  const { rows } = await db.pool.query<{ id: string; label: string }>(
    `${select}
      WHERE (p.name ILIKE $1 OR p.code ILIKE $1) AND v.id IS DISTINCT FROM $3::uuid
      ORDER BY (p.name ILIKE $2 OR p.code ILIKE $2) DESC, lower(p.name), p.id, v.version DESC
      LIMIT ${pickerLimit + 1}`,
    [contains, prefix, exclude ?? null],
  );
  return pickerMatches(rows);
}
