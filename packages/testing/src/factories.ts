import { randomBytes } from "node:crypto";
import { issueSecret } from "@meterplane/core";
import type { Database, EnvironmentKind } from "@meterplane/db";

/**
 * Rows for tests, written straight through the Prisma client: this package depends on `db` alone, so the
 * packages whose own tests use it (fleet, access, invoicing…) are not also its dependencies.
 */
const unique = () => randomBytes(4).toString("hex");

export async function aTenant(db: Database, overrides: { name?: string; currency?: string } = {}) {
  const id = unique();
  return db.prisma.tenant.create({
    data: {
      name: overrides.name ?? `Tenant ${id}`,
      slug: `tenant-${id}`,
      currency: overrides.currency ?? "USD",
    },
  });
}

/** A host with a working credential (`mpc_…`), as enrollment would leave it. */
export async function aHost(db: Database, overrides: { group?: string } = {}) {
  const host = await db.prisma.host.create({
    data: { name: `host-${unique()}`, group: overrides.group ?? null },
  });
  const { token, prefix, secretHash } = issueSecret("mpc");
  await db.prisma.hostCredential.create({ data: { hostId: host.id, prefix, secretHash } });
  return { host, credential: token };
}

export async function anEnvironment(
  db: Database,
  {
    tenantId,
    hostId,
    kind = "process_tree",
    selector = "pid:1",
  }: { tenantId: string; hostId: string; kind?: EnvironmentKind; selector?: string },
) {
  return db.prisma.environment.create({
    data: { tenantId, hostId, name: `env-${unique()}`, kind, selector, meters: [] },
  });
}

/** An API key (`mpk_…`) of a tenant, or operator-wide when tenantId is null. */
export async function anApiKey(
  db: Database,
  { tenantId, scopes = ["usage:read"] }: { tenantId: string | null; scopes?: string[] },
) {
  const { token, prefix, secretHash } = issueSecret("mpk");
  const key = await db.prisma.apiKey.create({
    data: { tenantId, name: `key-${unique()}`, prefix, secretHash, scopes },
  });
  return { id: key.id, prefix, token };
}

/** A tenant with one host and one environment on it: the smallest thing that can be metered. */
export async function aMeteredTenant(
  db: Database,
  options: { kind?: EnvironmentKind; selector?: string } = {},
) {
  const tenant = await aTenant(db);
  const { host, credential } = await aHost(db);
  const environment = await anEnvironment(db, { tenantId: tenant.id, hostId: host.id, ...options });
  return { tenant, host, credential, environment };
}
