import { randomBytes } from "node:crypto";
import { type ApiScope, createApiKey } from "@meterplane/access";
import type { Database, EnvironmentKind } from "@meterplane/db";
import { createEnvironment, createHost, issueHostCredential, systemActor } from "@meterplane/fleet";

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

export async function aHost(db: Database, overrides: { group?: string } = {}) {
  const host = await createHost({
    db,
    actor: systemActor,
    name: `host-${unique()}`,
    group: overrides.group ?? null,
  });
  const { credential } = await issueHostCredential({ db, actor: systemActor, hostId: host.id });
  return { host, credential };
}

export async function anEnvironment(
  db: Database,
  {
    tenantId,
    hostId,
    kind = "process_tree",
    selector,
  }: { tenantId: string; hostId: string; kind?: EnvironmentKind; selector?: string },
) {
  const name = `env-${unique()}`;
  return createEnvironment({
    db,
    actor: systemActor,
    tenantId,
    hostId,
    name,
    kind,
    // A process tree of its own by default: two environments on a host may not meter the same processes.
    selector: selector ?? `cmdline:^${name}$`,
  });
}

export async function anApiKey(
  db: Database,
  { tenantId, scopes = ["usage:read"] }: { tenantId: string | null; scopes?: ApiScope[] },
) {
  return createApiKey({ db, actor: systemActor, tenantId, name: `key-${unique()}`, scopes });
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
