"use server";

import { createUser, removeTenantMember } from "@meterplane/access";
import { createTenant, updateTenant } from "@meterplane/fleet";
import { z } from "zod";
import { operatorAction } from "@/lib/actions";
import { fields } from "@/lib/fields";

const currency = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{3}$/, { message: "use a 3-letter currency code like USD" });

export const createTenantAction = operatorAction(
  "admin",
  z.object({
    name: fields.text(),
    slug: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, {
        message: "use lowercase letters, digits and dashes, like acme-apps",
      }),
    currency,
    email: z.union([z.literal(""), z.email({ message: "enter an email like billing@acme.test" })]).optional(),
  }),
  async (input, { db, actor }) => {
    const tenant = await createTenant({ db, actor, ...input, email: input.email || null });
    return { message: `Tenant ${tenant.name} created`, redirectTo: `/tenants/${tenant.id}` };
  },
);

export const updateTenantAction = operatorAction(
  "admin",
  z.object({
    tenantId: fields.id,
    name: fields.text(),
    currency,
    email: z.union([z.literal(""), z.email({ message: "enter an email like billing@acme.test" })]).optional(),
  }),
  async ({ tenantId, email, ...changes }, { db, actor }) => {
    await updateTenant({ db, actor, tenantId, changes: { ...changes, email: email || null } });
    return { message: "Saved" };
  },
);

export const setTenantStatusAction = operatorAction(
  "admin",
  z.object({ tenantId: fields.id, status: z.enum(["active", "suspended"]) }),
  async ({ tenantId, status }, { db, actor }) => {
    await updateTenant({ db, actor, tenantId, changes: { status } });
    return { message: status === "suspended" ? "Tenant suspended" : "Tenant reactivated" };
  },
);

export const addTenantUserAction = operatorAction(
  "admin",
  z.object({
    tenantId: fields.id,
    name: fields.text(),
    email: z.email({ message: "enter an email like jo@acme.test" }),
    password: z.string().min(10, { message: "use at least 10 characters" }).max(200),
  }),
  async (input, { db, actor }) => {
    await createUser({ db, actor, ...input });
    return { message: `${input.email} can now sign in to the tenant pages` };
  },
);

export const removeTenantUserAction = operatorAction(
  "admin",
  z.object({ tenantId: fields.id, userId: fields.id }),
  async (input, { db, actor }) => {
    const { user } = await removeTenantMember({ db, actor, ...input });
    return { message: `${user.email} no longer sees this tenant` };
  },
);
