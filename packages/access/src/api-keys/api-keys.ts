import { AppError } from "@meterplane/core";
import { type Database, recordAudit } from "@meterplane/db";
import { type Actor, issueSecret, parseSecret, secretMatches } from "@meterplane/fleet";

export const apiScopes = ["usage:read", "invoices:read", "environments:read"] as const;
export type ApiScope = (typeof apiScopes)[number];

export interface ApiPrincipal {
  keyId: string;
  /** Null for an operator-wide key. */
  tenantId: string | null;
  scopes: string[];
}

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
  return { id: key.id, token };
}

/** Resolves `Authorization: Bearer mpk_…` and checks the scope; throws UNAUTHENTICATED or FORBIDDEN. */
export async function authenticateApiKey({
  db,
  authorization,
  scope,
}: {
  db: Database;
  authorization: string | null;
  scope: ApiScope;
}): Promise<ApiPrincipal> {
  const token = authorization?.startsWith("Bearer ") ? authorization.slice(7).trim() : null;
  const parsed = token ? parseSecret("mpk", token) : null;
  if (!parsed) throw new AppError("UNAUTHENTICATED", "send an API key as `Authorization: Bearer mpk_…`");
  const key = await db.prisma.apiKey.findUnique({ where: { prefix: parsed.prefix } });
  if (!key || key.revokedAt || !secretMatches(parsed.secret, key.secretHash))
    throw new AppError("UNAUTHENTICATED", "unknown or revoked API key");
  if (!key.scopes.includes(scope)) throw new AppError("FORBIDDEN", `this API key lacks the ${scope} scope`);
  return { keyId: key.id, tenantId: key.tenantId, scopes: key.scopes };
}
