"use server";

import { removeClientPolicy, saveClientPolicy } from "@meterplane/fleet";
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
    transactionsUdpPort: z.union([z.literal(""), z.coerce.number().int().min(1).max(65535)]).optional(),
  }),
  async ({ policyId, spoolMaxMiB, transactionsUdpPort, ...rest }, { db, actor }) => {
    const policy = await saveClientPolicy({
      db,
      actor,
      policyId: policyId || null,
      fields: {
        ...rest,
        spoolMaxBytes: BigInt(spoolMaxMiB) * 1_048_576n,
        transactionsUdpPort: transactionsUdpPort === "" ? null : (transactionsUdpPort ?? null),
      },
    });
    return {
      message: `Policy ${policy.name} saved as version ${policy.version}; hosts apply it on their next config poll`,
    };
  },
);

export const removeClientPolicyAction = operatorAction(
  "admin",
  z.object({ policyId: fields.id }),
  async ({ policyId }, { db, actor }) => {
    const { hostsDetached } = await removeClientPolicy({ db, actor, policyId });
    return { message: `Policy removed; ${hostsDetached} host(s) now use the defaults` };
  },
);
