import { randomBytes } from "node:crypto";
import { AppError } from "@meterplane/core";
import type { Database } from "@meterplane/db";
import { z } from "zod";

const endpointUrl = z.url({ protocol: /^https?$/ });

/**
 * An endpoint for an operator (tenantId null: every anomaly) or a tenant (its own environments' only).
 * The secret is returned here once; it is kept to sign, so it cannot be hashed like a credential.
 */
export async function createWebhookEndpoint({
  db,
  tenantId,
  url,
}: {
  db: Database;
  tenantId: string | null;
  url: string;
}): Promise<{ id: string; secret: string }> {
  const parsed = endpointUrl.safeParse(url);
  if (!parsed.success) throw new AppError("VALIDATION_FAILED", "the endpoint must be an http(s) URL");
  const secret = `whsec_${randomBytes(24).toString("hex")}`;
  const endpoint = await db.prisma.webhookEndpoint.create({ data: { tenantId, url: parsed.data, secret } });
  return { id: endpoint.id, secret };
}

/** The endpoint, if the caller may manage it: operators (tenantId undefined) any, a tenant its own. */
async function ownEndpoint(db: Database, endpointId: string, tenantId: string | undefined) {
  const endpoint = await db.prisma.webhookEndpoint.findUnique({ where: { id: endpointId } });
  if (!endpoint || (tenantId !== undefined && endpoint.tenantId !== tenantId))
    throw new AppError("NOT_FOUND", "no such webhook endpoint");
  return endpoint;
}

export async function disableWebhookEndpoint(args: { db: Database; endpointId: string; tenantId?: string }) {
  await ownEndpoint(args.db, args.endpointId, args.tenantId);
  await args.db.prisma.webhookEndpoint.update({
    where: { id: args.endpointId },
    data: { disabledAt: new Date() },
  });
}

/** Queues a signed test message to the endpoint, delivered (and logged) like an anomaly's. */
export async function sendTestWebhook(args: { db: Database; endpointId: string; tenantId?: string }) {
  const endpoint = await ownEndpoint(args.db, args.endpointId, args.tenantId);
  return args.db.prisma.webhookDelivery.create({
    data: {
      endpointId: endpoint.id,
      body: JSON.stringify({ type: "test", endpointId: endpoint.id, sentAt: new Date().toISOString() }),
    },
  });
}

/** Endpoints with their latest deliveries: the delivery log of an operator (all) or a tenant (its own). */
export async function listWebhookEndpoints({ db, tenantId }: { db: Database; tenantId?: string | null }) {
  return db.prisma.webhookEndpoint.findMany({
    where: { disabledAt: null, ...(tenantId === undefined ? {} : { tenantId }) },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      tenantId: true,
      url: true,
      createdAt: true,
      deliveries: { orderBy: { createdAt: "desc" }, take: 20 },
    },
  });
}
