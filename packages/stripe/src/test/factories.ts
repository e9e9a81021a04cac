import { randomBytes } from "node:crypto";
import { Dec } from "@meterplane/core";
import type { Database } from "@meterplane/db";
import { aTenant } from "@meterplane/testing";

const unique = () => randomBytes(4).toString("hex");

export interface LineFigures {
  description: string;
  quantity: string;
  unitPrice: string;
  amount: string;
}

/**
 * A finalized invoice as invoicing leaves it (a tenant, its subscription, the invoice and its lines),
 * written directly so these tests depend only on the rows the Stripe sync reads.
 */
export async function aFinalizedInvoice(
  db: Database,
  {
    currency = "USD",
    lines = [{ description: "Platform fee", quantity: "1", unitPrice: "31", amount: "31" }],
    periodStart = new Date("2026-09-01T00:00:00Z"),
    periodEnd = new Date("2026-10-01T00:00:00Z"),
    tenantId,
  }: {
    currency?: string;
    lines?: LineFigures[];
    periodStart?: Date;
    periodEnd?: Date;
    tenantId?: string;
  } = {},
) {
  const tenant = tenantId
    ? await db.prisma.tenant.findUniqueOrThrow({ where: { id: tenantId } })
    : await aTenant(db, { currency });
  const plan = await db.prisma.plan.create({
    data: { code: `plan-${unique()}`, name: "Metered", versions: { create: { version: 1, currency } } },
    include: { versions: true },
  });
  const subscription = await db.prisma.subscription.create({
    data: {
      tenantId: tenant.id,
      planVersionId: plan.versions[0]?.id as string,
      startAt: periodStart,
      billingAnchor: periodStart,
      endAt: periodEnd,
    },
  });
  const total = lines.reduce((sum, line) => sum.plus(line.amount), new Dec(0)).toFixed(6);
  const invoice = await db.prisma.invoice.create({
    data: {
      tenantId: tenant.id,
      subscriptionId: subscription.id,
      status: "finalized",
      number: `MP-${unique()}`,
      currency,
      periodStart,
      periodEnd,
      subtotal: total,
      total,
      ratingHash: unique(),
      ratedAt: periodEnd,
      finalizedAt: periodEnd,
      lines: { create: lines.map((line, position) => ({ position, ...line })) },
    },
  });
  return { tenant, subscription, invoice };
}
