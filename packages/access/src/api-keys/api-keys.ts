import { AppError, issueSecret, parseSecret, secretMatches } from "@meterplane/core";
import { type Actor, type Database, recordAudit } from "@meterplane/db";

export const apiScopes = ["usage:read", "invoices:read", "environments:read", "exports:read"] as const;
export type ApiScope = (typeof apiScopes)[number];

export interface ApiPrincipal {
  keyId: string;
  /** Null for an operator-wide key. */
  tenantId: string | null;
  scopes: string[];
}

/** lastUsedAt is advisory (shown on the keys page), so it is written at most this often per key. */
const lastUsedResolutionMs = 60_000;

/** Creates a key (tenant-scoped, or operator-wide when tenantId is null); the token is returned once. */
export async function createApiKey({
  db,
  actor,
  tenantId,
  name,
  scopes,
}: {
  db: Database;
  actor: Actor;
  tenantId: string | null;
  name: string;
  scopes: ApiScope[];
}) {
  const { token, prefix, secretHash } = issueSecret("mpk");
  const key = await db.prisma.$transaction(async (tx) => {
    const row = await tx.apiKey.create({ data: { tenantId, name, prefix, secretHash, scopes } });
    await recordAudit(tx, {
      actor,
      tenantId,
      action: "api_key.create",
      entity: "api_key",
      entityId: row.id,
      after: { name, prefix, scopes },
    });
    return row;
  });
  return { id: key.id, prefix, token };
}

/**
 * Resolves `Authorization: Bearer mpk_…` and, when given, checks the scope; throws UNAUTHENTICATED or
 * FORBIDDEN. A request costs one indexed read; the lastUsedAt write happens at most once a minute per key.
 */
export async function authenticateApiKey({
  db,
  authorization,
  scope,
  now = new Date(),
}: {
  db: Database;
  authorization: string | null;
  scope?: ApiScope;
  now?: Date;
}): Promise<ApiPrincipal> {
  const token = authorization?.startsWith("Bearer ") ? authorization.slice(7).trim() : null;
  const parsed = token ? parseSecret("mpk", token) : null;
  if (!parsed) throw new AppError("UNAUTHENTICATED", "send an API key as `Authorization: Bearer mpk_…`");
  // Plain SQL rather than Prisma: this runs on every API request, and a process that only serves the API
  // then never loads Prisma's query compiler (about 80 MB of WebAssembly in the web process).
  const key = (
    await db.pool.query<{
      id: string;
      tenantId: string | null;
      secretHash: string;
      scopes: string[];
      lastUsedAt: Date | null;
      revokedAt: Date | null;
      tenantStatus: string | null;
    }>(
      `SELECT k.id, k."tenantId", k."secretHash", k.scopes, k."lastUsedAt", k."revokedAt", t.status AS "tenantStatus"
         FROM "ApiKey" k LEFT JOIN "Tenant" t ON t.id = k."tenantId" WHERE k.prefix = $1`,
      [parsed.prefix],
    )
  ).rows[0];
  if (!key || key.revokedAt || !secretMatches(parsed.secret, key.secretHash))
    throw new AppError("UNAUTHENTICATED", "unknown or revoked API key");
  // Read on every request, so a suspension stops the tenant's keys at once (and a reactivation restores them).
  if (key.tenantStatus === "suspended")
    throw new AppError("FORBIDDEN", "this API key's tenant is suspended; ask your provider");
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() >= lastUsedResolutionMs) {
    // Conditional, so concurrent requests of one key write once per minute at most.
    await db.pool.query(
      `UPDATE "ApiKey" SET "lastUsedAt" = $2
        WHERE id = $1 AND ("lastUsedAt" IS NULL OR "lastUsedAt" <= $2::timestamptz - interval '1 minute')`,
      [key.id, now],
    );
  }
  const principal = { keyId: key.id, tenantId: key.tenantId, scopes: key.scopes };
  if (scope) requireScope(principal, scope);
  return principal;
}

export function requireScope(principal: ApiPrincipal, scope: ApiScope): void {
  if (!principal.scopes.includes(scope))
    throw new AppError("FORBIDDEN", `this API key lacks the ${scope} scope`);
}
