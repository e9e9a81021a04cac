"use server";

import {
  acknowledgeAnomaly,
  createWebhookEndpoint,
  disableWebhookEndpoint,
  muteSeriesOf,
  sendTestWebhook,
} from "@meterplane/alerts";
import { z } from "zod";
import { operatorAction } from "@/lib/actions";
import { fields } from "@/lib/fields";

export const acknowledgeAnomalyAction = operatorAction(
  "viewer",
  z.object({ anomalyId: fields.id }),
  async ({ anomalyId }, { db, user }) => {
    await acknowledgeAnomaly({ db, anomalyId, userId: user.userId });
    return { message: "Anomaly acknowledged" };
  },
);

export const muteSeriesAction = operatorAction(
  "admin",
  z.object({ anomalyId: fields.id, muted: z.enum(["yes", "no"]) }),
  async ({ anomalyId, muted }, { db }) => {
    await muteSeriesOf({ db, anomalyId, muted: muted === "yes" });
    return {
      message: muted === "yes" ? "Series muted: it is still scored, but raises nothing" : "Series unmuted",
    };
  },
);

export const createEndpointAction = operatorAction(
  "admin",
  z.object({ url: fields.text(2000) }),
  async ({ url }, { db }) => {
    const { secret } = await createWebhookEndpoint({ db, tenantId: null, url });
    return { message: "Endpoint added. Its signing secret is shown once:", secret };
  },
);

export const testEndpointAction = operatorAction(
  "admin",
  z.object({ endpointId: fields.id }),
  async ({ endpointId }, { db }) => {
    await sendTestWebhook({ db, endpointId });
    return { message: "Test message queued; see the delivery log" };
  },
);

export const disableEndpointAction = operatorAction(
  "admin",
  z.object({ endpointId: fields.id }),
  async ({ endpointId }, { db }) => {
    await disableWebhookEndpoint({ db, endpointId });
    return { message: "Endpoint removed" };
  },
);
