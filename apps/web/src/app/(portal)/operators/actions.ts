"use server";

import { createUser, updateUser } from "@meterplane/access";
import { z } from "zod";
import { operatorAction } from "@/lib/actions";
import { fields } from "@/lib/fields";

const role = z.enum(["owner", "admin", "billing", "viewer"]);

export const createOperatorAction = operatorAction(
  "owner",
  z.object({
    name: fields.text(),
    email: z.email({ message: "enter an email like ops@example.com" }),
    password: z.string().min(10, { message: "use at least 10 characters" }).max(200),
    operatorRole: role,
  }),
  async (input, { db, actor }) => {
    await createUser({ db, actor, ...input });
    return { message: `${input.email} can now sign in as ${input.operatorRole}` };
  },
);

export const updateOperatorAction = operatorAction(
  "owner",
  z.object({
    userId: fields.id,
    operatorRole: z.union([role, z.literal("none")]),
    disabled: fields.checkbox,
  }),
  async ({ userId, operatorRole, disabled }, { db, actor }) => {
    await updateUser({
      db,
      actor,
      userId,
      changes: { operatorRole: operatorRole === "none" ? null : operatorRole, disabled },
    });
    return { message: "Saved" };
  },
);
