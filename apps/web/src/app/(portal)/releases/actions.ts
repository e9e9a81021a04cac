"use server";

import { publishCollectorRelease, setMinimumCollectorVersion } from "@meterplane/fleet";
import { z } from "zod";
import { operatorAction } from "@/lib/actions";
import { fields } from "@/lib/fields";

const version = z
  .string()
  .trim()
  .regex(/^\d+\.\d+\.\d+$/, { message: "use a version like 1.4.2" });

export const publishReleaseAction = operatorAction(
  "admin",
  z.object({ version, notes: z.string().max(2000).optional() }),
  async ({ version, notes }, { db, actor }) => {
    await publishCollectorRelease({ db, actor, version, notes: notes ?? "" });
    return { message: `Release ${version} published` };
  },
);

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
