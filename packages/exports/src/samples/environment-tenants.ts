import type { Database } from "@meterplane/db";
import type { Sample } from "@meterplane/wire";

/**
 * The tenant of each environment that samples name, looked up when a batch names new environments and
 * kept for the rest of the export: an environment's tenant never changes, and environments are only
 * soft-removed. An environment that does not exist is remembered as null: its samples belong to no one.
 */
export function environmentTenants(db: Database) {
  const tenants = new Map<string, string | null>();
  return {
    /** The environment's tenant; undefined until a batch naming it has been looked up. */
    of: (environmentId: string) => tenants.get(environmentId),
    /** Looks up the environments of these samples that have not been yet, in one query. */
    async lookUp(samples: readonly Sample[]): Promise<void> {
      const unknown = new Set<string>();
      for (const { environmentId } of samples) if (!tenants.has(environmentId)) unknown.add(environmentId);
      const { rows } = await db.pool.query<{ id: string; tenantId: string }>(
        `SELECT id, "tenantId" FROM "Environment" WHERE id = ANY($1::uuid[])`,
        [[...unknown]],
      );
      for (const id of unknown) tenants.set(id, null);
      for (const row of rows) tenants.set(row.id, row.tenantId);
    },
  };
}
