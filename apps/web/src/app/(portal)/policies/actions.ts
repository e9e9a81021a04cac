"use server";

import { saveClientPolicy } from "@meterplane/fleet";
import { z } from "zod";
import { operatorAction } from "@/lib/actions";
import { fields } from "@/lib/fields";

export const saveClientPolicyAction = operatorAction(
  "admin",
  z.object({
    policyId: z.union([z.literal(""), fields.id]).optional(),
    name: fields.text(80),
    intervalSeconds: z.coerce.number().int().min(1, { message: "at least 1 second" }).max(3600),
    meters: fields.list,
    spoolMaxMiB: z.coerce.number().int().min(1).max(1_048_576, { message: "at most 1 TiB" }),
  }),
  async ({ policyId, spoolMaxMiB, ...rest }, { db, actor }) => {
    const policy = await saveClientPolicy({
      db,
      actor,
      policyId: policyId || null,
      fields: { ...rest, spoolMaxBytes: BigInt(spoolMaxMiB) * 1_048_576n },
    });
    return { message: `Policy ${policy.name} saved; hosts apply it on their next config poll` };
  },
);
