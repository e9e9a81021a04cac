"use server";

import {
  collectorInstallDir,
  createHost,
  enrollmentCommand,
  issueEnrollmentToken,
  latestCollectorArtifact,
  removeHost,
  revokeHostCredential,
  updateHost,
} from "@meterplane/fleet";
import { headers } from "next/headers";
import { z } from "zod";
import { operatorAction } from "@/lib/actions";
import { env } from "@/lib/env";
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
    const release = await latestCollectorArtifact({ db });
    const expires = `${expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC`;
    const install = release
      ? `it downloads collector ${release.version} from this server, checks its SHA-256, installs it and its systemd unit`
      : `no release with a collector artifact is published yet (Releases page), so unpack one at ${collectorInstallDir} first; it installs the collector's systemd unit`;
    return {
      message: `Run this on the host, as root, before ${expires}: ${install}, enrolls the host and starts the unit. The token works once.`,
      command: enrollmentCommand({ server: await publicUrl(), token, release }),
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

/** The portal's address as hosts reach it: MP_PUBLIC_URL, else the origin this request came to. */
async function publicUrl(): Promise<string> {
  const configured = env().MP_PUBLIC_URL;
  if (configured) return configured;
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost";
  const proto = h.get("x-forwarded-proto") ?? "http";
  return `${proto}://${host}`;
}

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
