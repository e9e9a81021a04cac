"use server";

import { formatDateTime } from "@meterplane/billing";
import { createEnvironment, moveEnvironment, removeEnvironment, updateEnvironment } from "@meterplane/fleet";
import { z } from "zod";
import { operatorAction } from "@/lib/actions";
import { environmentKinds, fields } from "@/lib/fields";

const kind = z.enum(environmentKinds);

export const createEnvironmentAction = operatorAction(
  "admin",
  z.object({
    tenantId: fields.id,
    hostId: fields.id,
    name: fields.text(),
    kind,
    selector: fields.text(500),
    meters: fields.list,
  }),
  async (input, { db, actor }) => {
    const environment = await createEnvironment({ db, actor, ...input });
    return {
      message: `Environment ${environment.name} added`,
      redirectTo: `/environments/${environment.id}`,
    };
  },
);

export const updateEnvironmentAction = operatorAction(
  "admin",
  z.object({
    tenantId: fields.id,
    environmentId: fields.id,
    newTenantId: fields.id,
    name: fields.text(),
    kind,
    selector: fields.text(500),
    meters: fields.list,
  }),
  async ({ tenantId, environmentId, newTenantId, ...changes }, { db, actor }) => {
    const after = await updateEnvironment({
      db,
      actor,
      tenantId,
      environmentId,
      changes: { ...changes, tenantId: newTenantId },
    });
    return {
      message: "Saved; the host picks it up on its next config poll",
      redirectTo: `/environments/${after.id}`,
    };
  },
);

export const removeEnvironmentAction = operatorAction(
  "admin",
  z.object({ tenantId: fields.id, environmentId: fields.id }),
  async (input, { db, actor }) => {
    await removeEnvironment({ db, actor, ...input });
    return { message: "Environment removed", redirectTo: "/environments" };
  },
);

export const moveEnvironmentAction = operatorAction(
  "admin",
  z.object({ tenantId: fields.id, environmentId: fields.id, toHostId: fields.id }),
  async (input, { db, actor }) => {
    const { at } = await moveEnvironment({ db, actor, ...input });
    // No redirect: the notice (when the move takes effect) stays under the form; the page refreshes itself.
    return { message: `Moves at ${formatDateTime(at)}: the new host meters it from then on` };
  },
);
