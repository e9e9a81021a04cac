import { AppError } from "@meterplane/core";
import type { Actor } from "@meterplane/db";
import { type Database, recordAudit } from "@meterplane/db";

export interface CreateTenantOptions {
  db: Database;
  actor: Actor;
  slug: string;
  name: string;
  currency?: string;
  email?: string | null;
}

/** A customer of the platform; its slug is its stable public name (URLs, exports). */
export async function createTenant({
  db,
  actor,
  slug,
  name,
  currency = "USD",
  email = null,
}: CreateTenantOptions) {
  return db.prisma.$transaction(async (tx) => {
    if (await tx.tenant.findUnique({ where: { slug } }))
      throw new AppError("CONFLICT", `a tenant with slug "${slug}" exists; choose another slug`);
    const tenant = await tx.tenant.create({ data: { slug, name, currency: currency.toUpperCase(), email } });
    await recordAudit(tx, {
      actor,
      tenantId: tenant.id,
      action: "tenant.create",
      entity: "tenant",
      entityId: tenant.id,
      after: tenant,
    });
    return tenant;
  });
}
