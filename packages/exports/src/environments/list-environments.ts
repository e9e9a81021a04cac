import type { Database } from "@meterplane/db";
import { decodeCursor, type Page, toPage } from "../cursors/page-cursor.ts";
import { isoInstant } from "../sql/iso-instant.ts";

export interface EnvironmentView {
  id: string;
  tenantId: string;
  name: string;
  kind: string;
  meters: string[];
  createdAt: string;
  removedAt: string | null;
}

const columns = `id, "tenantId", name, kind::text, meters,
  ${isoInstant('"createdAt"', "createdAt")}, ${isoInstant('"removedAt"', "removedAt")}`;

/** Environments of one tenant (null: every tenant), by id, a page at a time. */
export async function listEnvironments({
  db,
  tenantId,
  limit,
  cursor,
}: {
  db: Database;
  tenantId: string | null;
  limit: number;
  cursor?: string;
}): Promise<Page<EnvironmentView>> {
  const after = decodeCursor(cursor, ["uuid"])?.[0] ?? null;
  const { rows } = await db.pool.query<EnvironmentView>(
    `SELECT ${columns} FROM "Environment"
      WHERE ($1::uuid IS NULL OR "tenantId" = $1) AND ($2::uuid IS NULL OR id > $2)
      ORDER BY id LIMIT $3`,
    [tenantId, after, limit + 1],
  );
  return toPage(rows, limit, (row) => [row.id]);
}

/** One environment, or null when it does not exist for this tenant (so ids of others cannot be probed). */
export async function getEnvironment({
  db,
  tenantId,
  environmentId,
}: {
  db: Database;
  tenantId: string | null;
  environmentId: string;
}): Promise<EnvironmentView | null> {
  const { rows } = await db.pool.query<EnvironmentView>(
    `SELECT ${columns} FROM "Environment" WHERE ($1::uuid IS NULL OR "tenantId" = $1) AND id = $2`,
    [tenantId, environmentId],
  );
  return rows[0] ?? null;
}
