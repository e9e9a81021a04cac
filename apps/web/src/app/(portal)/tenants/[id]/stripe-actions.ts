"use server";

import { createStripeClient, setStripeCollection } from "@meterplane/stripe";
import { z } from "zod";
import { operatorAction } from "@/lib/actions";
import { fields } from "@/lib/fields";

export const setCollectionAction = operatorAction(
  "billing",
  z.object({
    tenantId: fields.id,
    method: z.enum(["send_invoice", "charge_automatically"]),
    daysUntilDue: z.coerce.number().int().min(0).max(365),
  }),
  async ({ tenantId, method, daysUntilDue }, { db, actor }) => {
    await setStripeCollection({ db, stripe: createStripeClient(), tenantId, actor, method, daysUntilDue });
    return {
      message:
        method === "send_invoice"
          ? `Invoices are sent, due in ${daysUntilDue} days`
          : "Invoices are charged automatically",
    };
  },
);
