"use server";

import { acknowledgeAnomaly, createWebhookEndpoint, sendTestWebhook } from "@meterplane/alerts";
import { z } from "zod";
import { services } from "@/lib/server";
import { tenantAction } from "@/lib/tenant-session";

export const acknowledge = tenantAction(
  z.object({ tenantId: z.uuid(), anomalyId: z.uuid() }),
  async ({ anomalyId }, { user }) => {
    await acknowledgeAnomaly({ db: services().db, anomalyId, userId: user.userId, tenantId: user.tenantId });
    return { message: "Anomaly acknowledged" };
  },
);

export const addEndpoint = tenantAction(
  z.object({ tenantId: z.uuid(), url: z.string().trim().min(1).max(2000) }),
  async ({ url }, { user }) => {
    const { secret } = await createWebhookEndpoint({ db: services().db, tenantId: user.tenantId, url });
    return { message: "Endpoint added. Its signing secret is shown once:", secret };
  },
);

export const testEndpoint = tenantAction(
  z.object({ tenantId: z.uuid(), endpointId: z.uuid() }),
  async ({ endpointId }, { user }) => {
    await sendTestWebhook({ db: services().db, endpointId, tenantId: user.tenantId });
    return { message: "Test message queued; see the delivery log" };
  },
);
