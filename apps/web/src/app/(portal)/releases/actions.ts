"use server";

import { AppError } from "@meterplane/core";
import { publishCollectorRelease, setMinimumCollectorVersion } from "@meterplane/fleet";
import { z } from "zod";
import { type ActionState, operatorAction } from "@/lib/actions";
import { env } from "@/lib/env";
import { fields } from "@/lib/fields";

const version = z
  .string()
  .trim()
  .regex(/^\d+\.\d+\.\d+$/, { message: "use a version like 1.4.2" });

/**
 * Publishes a release, with the collector tarball and its `.sig` when given (build-release.ts makes both);
 * the server checks the signature against its release public key before storing anything.
 */
export async function publishReleaseAction(previous: ActionState, form: FormData): Promise<ActionState> {
  return operatorAction(
    "admin",
    z.object({
      version,
      notes: z.string().max(2000).optional(),
      signature: z.string().trim().max(200).optional(),
    }),
    async ({ version, notes, signature }, { db, actor }) => {
      const file = form.get("artifact");
      const bytes = file instanceof File && file.size > 0 ? Buffer.from(await file.arrayBuffer()) : undefined;
      if (bytes && !signature)
        throw new AppError("VALIDATION_FAILED", "paste the artifact's signature (the .sig file) too");
      await publishCollectorRelease({
        db,
        actor,
        version,
        notes: notes ?? "",
        artifact: bytes && signature ? { bytes, signature } : undefined,
        releasePublicKey: env().COLLECTOR_RELEASE_PUBLIC_KEY,
      });
      return {
        message: `Release ${version} published${bytes ? ` with its signed artifact (${bytes.byteLength} bytes)` : ", without an artifact: collectors cannot install it"}`,
      };
    },
  )(previous, form);
}

export const forceUpgradeAction = operatorAction(
  "admin",
  z.object({ version, group: fields.optionalText(60) }),
  async ({ version, group }, { db, actor }) => {
    await setMinimumCollectorVersion({ db, actor, version, group });
    return {
      message: `Collectors ${group ? `in group ${group}` : "everywhere"} must now run ${version} or later`,
    };
  },
);
