import { type ApiScope, apiScopes, revokeApiKey } from "@meterplane/access";
import type { Database } from "@meterplane/db";
import { systemActor } from "@meterplane/db";
import { aHost, anApiKey, anEnvironment, aTenant } from "@meterplane/testing";
import { acceptBatch, aggregateBatches } from "@meterplane/usage";
import { batchOfFlat, type Sample } from "@meterplane/wire";

/** Two tenants whose environments share one host, so one batch carries both tenants' samples. */
export async function twoTenantsOnOneHost(db: Database) {
  const { host } = await aHost(db);
  const tenants = [];
  for (const name of ["A", "B"]) {
    const tenant = await aTenant(db, { name: `Tenant ${name}` });
    const environment = await anEnvironment(db, { tenantId: tenant.id, hostId: host.id });
    tenants.push({ tenant, environment });
  }
  const [a, b] = tenants as [(typeof tenants)[0], (typeof tenants)[0]];
  const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000;
  const samples: Sample[] = [a, b].flatMap(({ environment }) =>
    [0, 1, 2].flatMap((i) => [
      {
        environmentId: environment.id,
        meter: "cpu",
        start: iso(hour + i * 10_000),
        seconds: 10,
        value: "1.5",
      },
      {
        environmentId: environment.id,
        meter: "open_resources",
        start: iso(hour + i * 10_000),
        seconds: 10,
        value: "7",
        dimensions: { kind: i % 2 ? "socket" : "file" },
      },
    ]),
  );
  const accepted = await acceptBatch({
    db,
    hostId: host.id,
    batch: batchOfFlat({ sequence: 1, collectorVersion: "0.2.0", samples }),
  });
  await aggregateBatches({ db, batches: [accepted] });
  return {
    a: { ...a, ...(await invoicesOf(db, a.tenant.id)) },
    b: { ...b, ...(await invoicesOf(db, b.tenant.id)) },
    hour,
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A finalized invoice with two lines and a draft one (which tenants must not see yet). */
async function invoicesOf(db: Database, tenantId: string) {
  const plan = await db.prisma.plan.create({ data: { code: `plan-${tenantId}`, name: "Standard" } });
  const version = await db.prisma.planVersion.create({
    data: { planId: plan.id, version: 1, currency: "USD" },
  });
  const start = new Date(Date.UTC(2026, 9, 1));
  const subscription = await db.prisma.subscription.create({
    data: { tenantId, planVersionId: version.id, startAt: start, billingAnchor: start },
  });
  const invoice = (status: "finalized" | "draft", month: number) =>
    db.prisma.invoice.create({
      data: {
        tenantId,
        subscriptionId: subscription.id,
        status,
        number: status === "finalized" ? `MP-${tenantId.slice(0, 8)}-${month}` : null,
        currency: "USD",
        periodStart: new Date(Date.UTC(2026, month, 1)),
        periodEnd: new Date(Date.UTC(2026, month + 1, 1)),
        subtotal: "12.5",
        total: "12.5",
        ratingHash: `hash-${month}`,
        ratedAt: new Date(),
        finalizedAt: status === "finalized" ? new Date() : null,
        lines: {
          create: [
            { position: 0, description: "CPU core-hours", quantity: "10", unitPrice: "1", amount: "10" },
            { position: 1, description: "Memory GB-hours", quantity: "5", unitPrice: "0.5", amount: "2.5" },
          ],
        },
      },
    });
  return { invoice: await invoice("finalized", 9), draft: await invoice("draft", 10) };
}

/** The keys of the authorization matrix, for a tenant, its neighbour and an operator. */
export async function matrixKeys(db: Database, tenantId: string, otherTenantId: string) {
  const all = [...apiScopes];
  const revoked = await anApiKey(db, { tenantId, scopes: all });
  await revokeApiKey({ db, actor: systemActor, tenantId, keyId: revoked.id });
  const without = async (scope: ApiScope) =>
    (await anApiKey(db, { tenantId, scopes: all.filter((s) => s !== scope) })).token;
  return {
    right: (await anApiKey(db, { tenantId, scopes: all })).token,
    revoked: revoked.token,
    otherTenant: (await anApiKey(db, { tenantId: otherTenantId, scopes: all })).token,
    admin: (await anApiKey(db, { tenantId: null, scopes: all })).token,
    withoutScope: Object.fromEntries(
      await Promise.all(all.map(async (s) => [s, await without(s)] as const)),
    ) as Record<ApiScope, string>,
  };
}
