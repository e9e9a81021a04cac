import { AppError, parseSecret, secretMatches } from "@meterplane/core";
import type { Database } from "@meterplane/db";

export interface AuthenticatedHost {
  hostId: string;
  credentialId: string;
}

/** Resolves `Authorization: Bearer mpc_…` to its host, or throws UNAUTHENTICATED / CREDENTIAL_REVOKED. */
export async function authenticateHost({
  db,
  authorization,
}: {
  db: Database;
  authorization: string | null;
}): Promise<AuthenticatedHost> {
  const token = authorization?.startsWith("Bearer ") ? authorization.slice(7).trim() : null;
  const parsed = token ? parseSecret("mpc", token) : null;
  if (!parsed)
    throw new AppError("UNAUTHENTICATED", "send the host credential as `Authorization: Bearer mpc_…`");
  const { rows } = await db.pool.query<{
    id: string;
    hostId: string;
    secretHash: string;
    revokedAt: Date | null;
    removedAt: Date | null;
  }>(
    `SELECT c.id, c."hostId", c."secretHash", c."revokedAt", h."removedAt"
       FROM "HostCredential" c JOIN "Host" h ON h.id = c."hostId" WHERE c.prefix = $1`,
    [parsed.prefix],
  );
  const row = rows[0];
  if (!row || !secretMatches(parsed.secret, row.secretHash))
    throw new AppError("UNAUTHENTICATED", "unknown host credential");
  if (row.revokedAt || row.removedAt)
    throw new AppError("CREDENTIAL_REVOKED", "this host credential has been revoked; enroll the host again");
  return { hostId: row.hostId, credentialId: row.id };
}
