"use server";

import { retryStripeSync } from "@meterplane/stripe";
import { z } from "zod";
import { operatorAction } from "@/lib/actions";
import { services } from "@/lib/server";

/** Sends a failed Stripe sync back to the worker; it resumes where the stored Stripe ids say it got to. */
export const retryStripeSyncAction = operatorAction(
  "billing",
  z.object({ tenantId: z.uuid(), invoiceId: z.uuid() }),
  async ({ tenantId, invoiceId }, { db, actor }) => {
    await retryStripeSync({ db, queue: services().stripeSyncQueue, tenantId, invoiceId, actor });
    return { message: "Queued again: the worker retries it now." };
  },
);
