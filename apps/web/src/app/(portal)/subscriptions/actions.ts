"use server";

import { AppError } from "@meterplane/core";
import {
  cancelSubscription,
  createSubscription,
  moveSubscription,
  rateSubscriptionPeriod,
} from "@meterplane/invoicing";
import { z } from "zod";
import { operatorAction } from "@/lib/actions";
import { fields } from "@/lib/fields";

export const createSubscriptionAction = operatorAction(
  "billing",
  z.object({ tenant: fields.text(80), planVersionId: fields.id, startAt: fields.date }),
  async ({ tenant: slug, planVersionId, startAt }, { db, actor }) => {
    const tenant = await db.prisma.tenant.findUnique({ where: { slug } });
    if (!tenant) throw new AppError("NOT_FOUND", `no tenant with slug "${slug}"; check the Tenants page`);
    await createSubscription({ db, actor, tenantId: tenant.id, planVersionId, startAt });
    return { message: `${tenant.name} subscribed from ${startAt.toISOString().slice(0, 10)}` };
  },
);

export const rateSubscriptionAction = operatorAction(
  "billing",
  z.object({ tenantId: fields.id, subscriptionId: fields.id, at: fields.date }),
  async ({ tenantId, subscriptionId, at: day }, { db, actor }) => {
    // `at` is also the draft's rating time: rating today's period is rating it now, not at midnight.
    const now = new Date();
    const at = day.toISOString().slice(0, 10) === now.toISOString().slice(0, 10) ? now : day;
    await rateSubscriptionPeriod({ db, actor, tenantId, subscriptionId, at });
    return { message: "Rated: the period's draft invoice is on the Invoices page" };
  },
);

export const cancelSubscriptionAction = operatorAction(
  "billing",
  z.object({ tenantId: fields.id, subscriptionId: fields.id }),
  async ({ tenantId, subscriptionId }, { db, actor }) => {
    await cancelSubscription({ db, actor, tenantId, subscriptionId });
    return { message: "Subscription canceled" };
  },
);

export const moveSubscriptionAction = operatorAction(
  "billing",
  z.object({ tenantId: fields.id, subscriptionId: fields.id, planVersionId: fields.id }),
  async (input, { db, actor }) => {
    const moved = await moveSubscription({ db, actor, ...input });
    const version = await db.prisma.planVersion.findUniqueOrThrow({
      where: { id: moved.planVersionId },
      include: { plan: true },
    });
    return {
      message: `Moved to ${version.plan.name} v${version.version}: open periods are rated on it from the next run`,
    };
  },
);
