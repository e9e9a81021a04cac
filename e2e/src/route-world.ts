import { createUser, logIn } from "@meterplane/access";
import { type Database, systemActor } from "@meterplane/db";
import { twoTenantsOnOneHost } from "./tenant-fixtures.ts";

const password = "a-long-password";

async function sessionOf(db: Database, email: string, role: { operatorRole?: "owner"; tenantId?: string }) {
  await createUser({ db, actor: systemActor, email, name: email.split("@")[0] as string, password, ...role });
  const { token } = await logIn({ db, email, password });
  return `mp_session=${token}`;
}

/**
 * Two tenants with usage and invoices, an owner's and a tenant user's session cookies, and every page of
 * the portal and the tenant pages with real ids: what the header check and the route fuzz test walk.
 */
export async function aRouteWorld(db: Database) {
  const world = await twoTenantsOnOneHost(db);
  const { tenant, environment, invoice } = world.a;
  const plan = await db.prisma.plan.findUniqueOrThrow({ where: { code: `plan-${tenant.id}` } });
  const operator = await sessionOf(db, "owner@operator.test", { operatorRole: "owner" });
  const member = await sessionOf(db, "jo@tenant-a.test", { tenantId: tenant.id });
  const t = `/tenant/${tenant.id}`;
  return {
    ...world,
    plan,
    cookies: { operator, member },
    portalPages: [
      "/",
      "/tenants",
      `/tenants/${tenant.id}`,
      "/environments",
      `/environments/${environment.id}`,
      "/hosts",
      `/hosts/${environment.hostId}`,
      "/policies",
      "/releases",
      "/plans",
      `/plans/${plan.id}`,
      "/subscriptions",
      "/usage",
      "/invoices",
      `/invoices/${tenant.id}/${invoice.id}`,
      "/invoice-runs",
      "/operators",
      "/audit",
    ],
    tenantPages: [
      `${t}/usage`,
      `${t}/estimate`,
      `${t}/invoices`,
      `${t}/invoices/${invoice.id}`,
      `${t}/api-keys`,
    ],
    publicPages: ["/login", "/docs/api"],
    files: [
      `/invoices/${tenant.id}/${invoice.id}/pdf`,
      `${t}/invoices/${invoice.id}/invoice.pdf`,
      `${t}/invoices/${invoice.id}/invoice.csv`,
      "/pickers/tenants",
      "/pickers/hosts",
      "/pickers/plan-versions",
    ],
  };
}
