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
  z.object({
    tenantId: fields.id,
    planVersionId: fields.id,
    startAt: fields.date,
    billingAnchor: fields.optionalDateTime,
  }),
  async ({ tenantId, planVersionId, startAt, billingAnchor }, { db, actor }) => {
    const tenant = await db.prisma.tenant.findUnique({ where: { id: tenantId } });
    if (!tenant) throw new AppError("NOT_FOUND", "that tenant is gone; reload the page");
    const subscription = await createSubscription({
      db,
      actor,
      tenantId: tenant.id,
      planVersionId,
      startAt,
      billingAnchor,
    });
    const anchor = subscription.billingAnchor.toISOString().slice(0, 16).replace("T", " ");
    return {
      message: `${tenant.name} subscribed from ${startAt.toISOString().slice(0, 10)}; periods start at ${anchor} UTC`,
    };
  },
);

export const rateSubscriptionAction = operatorAction(
  "billing",
  z.object({ tenantId: fields.id, subscriptionId: fields.id, at: fields.date }),
  async ({ tenantId, subscriptionId, at: day }, { db, actor }) => {
    // `at` is also the draft's rating time: rating today's period is rating it now, not at midnight.
    const now = new Date();
    const at = day.toISOString().slice(0, 10) === now.toISOString().slice(0, 10) ? now : day;
    const { invoice, changed } = await rateSubscriptionPeriod({ db, actor, tenantId, subscriptionId, at });
    const period = `${invoice.periodStart.toISOString().slice(0, 10)} to ${invoice.periodEnd.toISOString().slice(0, 10)}`;
    return {
      message:
        invoice.status !== "draft"
          ? `The invoice for ${period} is already ${invoice.status}: it was not changed.`
          : changed
            ? `Draft invoice for ${period} updated from the usage so far: ${invoice.currency} ${invoice.total.toFixed()}.`
            : `Draft invoice for ${period} is up to date: ${invoice.currency} ${invoice.total.toFixed()}.`,
      link: { href: `/invoices/${tenantId}/${invoice.id}`, label: "Open the invoice" },
    };
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
