"use server";

import {
  createHost,
  issueEnrollmentToken,
  removeHost,
  revokeHostCredential,
  updateHost,
} from "@meterplane/fleet";
import { z } from "zod";
import { operatorAction } from "@/lib/actions";
import { fields } from "@/lib/fields";

const hostName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, {
    message: "use letters, digits, dots and dashes, like web-01",
  });

export const createHostAction = operatorAction(
  "admin",
  z.object({
    name: hostName,
    group: fields.optionalText(60),
    policyId: z.union([z.literal(""), fields.id]).optional(),
  }),
  async ({ name, group, policyId }, { db, actor }) => {
    const host = await createHost({ db, actor, name, group, policyId: policyId || null });
    return { message: `Host ${host.name} added`, redirectTo: `/hosts/${host.id}` };
  },
);

export const updateHostAction = operatorAction(
  "admin",
  z.object({
    hostId: fields.id,
    group: fields.optionalText(60),
    policyId: z.union([z.literal(""), fields.id]).optional(),
  }),
  async ({ hostId, group, policyId }, { db, actor }) => {
    await updateHost({ db, actor, hostId, changes: { group, policyId: policyId || null } });
    return { message: "Saved; the collector applies it on its next config poll" };
  },
);

export const issueEnrollmentTokenAction = operatorAction(
  "admin",
  z.object({ hostId: fields.id }),
  async ({ hostId }, { db, actor }) => {
    const { token, expiresAt } = await issueEnrollmentToken({ db, actor, hostId });
    return {
      message: `Run \`meterplane-collector enroll <token>\` on the host before ${expiresAt.toISOString()}`,
      secret: token,
    };
  },
);

export const revokeCredentialAction = operatorAction(
  "admin",
  z.object({ credentialId: fields.id }),
  async ({ credentialId }, { db, actor }) => {
    await revokeHostCredential({ db, actor, credentialId });
    return { message: "Revoked: the collector's next request is refused" };
  },
);

export const removeHostAction = operatorAction(
  "admin",
  z.object({ hostId: fields.id }),
  async ({ hostId }, { db, actor }) => {
    const host = await removeHost({ db, actor, hostId });
    return {
      message: `Host ${host.name} removed: its credentials are revoked, its usage history is kept`,
      redirectTo: "/hosts",
    };
  },
);
