"use server";

import { apiScopes, createApiKey, revokeApiKey } from "@meterplane/access";
import { z } from "zod";
import { services } from "@/lib/server";
import { tenantAction } from "@/lib/tenant-session";

const scopes = z
  .union([z.enum(apiScopes), z.array(z.enum(apiScopes))])
  .transform((value) => (Array.isArray(value) ? value : [value]));

export const createKey = tenantAction(
  z.object({ tenantId: z.uuid(), name: z.string().trim().min(1).max(100), scopes }),
  async ({ name, scopes }, { user, actor }) => {
    const key = await createApiKey({ db: services().db, actor, tenantId: user.tenantId, name, scopes });
    return { message: `Key ${key.prefix} created.`, secret: key.token };
  },
);

export const revokeKey = tenantAction(
  z.object({ tenantId: z.uuid(), keyId: z.uuid() }),
  async ({ keyId }, { user, actor }) => {
    const key = await revokeApiKey({ db: services().db, actor, tenantId: user.tenantId, keyId });
    return { message: `Key ${key.prefix} revoked.` };
  },
);
