import { hostname } from "node:os";
import { createUser } from "@meterplane/access";
import { type Database, type EnvironmentKind, systemActor } from "@meterplane/db";
import { createEnvironment, createHost, issueHostCredential, nextHostSequence } from "@meterplane/fleet";

export const demoLogin = { email: "admin@meterplane.local", password: "meterplane-demo" };

/**
 * The demo: an owner, one tenant on a per-unit plan, this host, and one environment on it. Idempotent:
 * a second start finds everything and only points the environment at the new workload.
 */
export async function seedDemo(db: Database, workload: { kind: EnvironmentKind; selector: string }) {
  if (!(await db.prisma.user.findUnique({ where: { email: demoLogin.email } }))) {
    await createUser({
      db,
      actor: systemActor,
      email: demoLogin.email,
      name: "Demo Owner",
      password: demoLogin.password,
      operatorRole: "owner",
    });
  }
  const tenant = await db.prisma.tenant.upsert({
    where: { slug: "acme" },
    update: {},
    create: { slug: "acme", name: "Acme Apps", currency: "USD" },
  });
  const policy = await db.prisma.clientPolicy.upsert({
    where: { name: "demo" },
    update: {},
    create: { name: "demo", intervalSeconds: 5, meters: [] },
  });
  const hostName = `${hostname()}-demo`;
  const host =
    (await db.prisma.host.findUnique({ where: { name: hostName } })) ??
    (await createHost({ db, actor: systemActor, name: hostName, policyId: policy.id }));
  const existing = await db.prisma.environment.findFirst({
    where: { tenantId: tenant.id, hostId: host.id, name: "demo-app" },
  });
  const environment = existing
    ? await db.prisma.environment.update({
        where: { tenantId_id: { tenantId: tenant.id, id: existing.id } },
        data: workload,
      })
    : await createEnvironment({
        db,
        actor: systemActor,
        tenantId: tenant.id,
        hostId: host.id,
        name: "demo-app",
        ...workload,
      });
  await seedPlan(db, tenant.id);
  const { credential } = await issueHostCredential({ db, actor: systemActor, hostId: host.id });
  // The database may hold batches of this host from another checkout's collector: continue after them.
  const nextSequence = await nextHostSequence(db.prisma, host.id);
  return { tenant, host, environment, credential, nextSequence };
}

async function seedPlan(db: Database, tenantId: string) {
  if (await db.prisma.subscription.findFirst({ where: { tenantId } })) return;
  const cpu = await db.prisma.billableMetric.upsert({
    where: { code: "cpu_core_hours" },
    update: {},
    create: {
      code: "cpu_core_hours",
      name: "CPU",
      meter: "cpu",
      aggregation: "sum",
      unit: "core-hours",
      divisor: 3600,
    },
  });
  const memory = await db.prisma.billableMetric.upsert({
    where: { code: "memory_gb_hours" },
    update: {},
    create: {
      code: "memory_gb_hours",
      name: "Memory",
      meter: "memory",
      aggregation: "time_weighted",
      unit: "GB-hours",
      divisor: 3_600_000_000_000,
    },
  });
  const plan = await db.prisma.plan.create({
    data: {
      code: "standard",
      name: "Standard",
      versions: {
        create: {
          version: 1,
          currency: "USD",
          charges: {
            create: [
              { billableMetricId: cpu.id, model: "per_unit", properties: { unitPrice: "2.40" }, position: 0 },
              {
                billableMetricId: memory.id,
                model: "per_unit",
                properties: { unitPrice: "0.50" },
                position: 1,
              },
            ],
          },
        },
      },
    },
    include: { versions: true },
  });
  const start = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1));
  await db.prisma.subscription.create({
    data: { tenantId, planVersionId: plan.versions[0]!.id, startAt: start, billingAnchor: start },
  });
}
