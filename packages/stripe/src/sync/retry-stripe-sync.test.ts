import { createRedis } from "@meterplane/queue";
import { redisUrl, uniqueQueuePrefix, useTestDatabase } from "@meterplane/testing";
import type { Queue } from "bullmq";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createStripeSyncQueue, type StripeSyncJob, stripeSyncJobId } from "../queue/stripe-queues.ts";
import { aFinalizedInvoice } from "../test/factories.ts";
import { listFailedStripeSyncs } from "./list-failed-stripe-syncs.ts";
import { recordStripeSyncError } from "./record-stripe-sync-error.ts";
import { retryStripeSync } from "./retry-stripe-sync.ts";

const database = useTestDatabase();
const redis = createRedis(redisUrl(), { blocking: true });
let queue: Queue<StripeSyncJob>;
beforeAll(() => {
  process.env.MP_QUEUE_PREFIX = uniqueQueuePrefix();
  queue = createStripeSyncQueue(redis);
});
afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  redis.disconnect();
});

it("lists a sync that gave up and sends it back to the queue from the step it had reached", async () => {
  const { db } = database;
  const { tenant, invoice } = await aFinalizedInvoice(db);
  await db.prisma.stripeInvoice.create({
    data: {
      tenantId: tenant.id,
      invoiceId: invoice.id,
      stripeInvoiceId: "in_half_done",
      state: "lines_added",
      attempts: 8,
    },
  });
  await recordStripeSyncError({
    db,
    tenantId: tenant.id,
    invoiceId: invoice.id,
    message: "Stripe said no",
    final: true,
  });

  const failed = await listFailedStripeSyncs({ db });
  expect(failed).toMatchObject([
    { invoiceId: invoice.id, lastError: "Stripe said no", attempts: 8, total: "31" },
  ]);

  await retryStripeSync({ db, queue, tenantId: tenant.id, invoiceId: invoice.id, actor: { kind: "system" } });
  expect(await listFailedStripeSyncs({ db })).toEqual([]);
  const sync = await db.prisma.stripeInvoice.findUniqueOrThrow({
    where: { tenantId_invoiceId: { tenantId: tenant.id, invoiceId: invoice.id } },
  });
  expect(sync.state).toBe("invoice_created");
  const job = await queue.getJob(stripeSyncJobId({ tenantId: tenant.id, invoiceId: invoice.id }));
  expect(await job?.getState()).toBe("waiting");
  expect(
    await db.prisma.auditLog.count({ where: { action: "stripe_sync.retry", entityId: invoice.id } }),
  ).toBe(1);

  await expect(
    retryStripeSync({ db, queue, tenantId: tenant.id, invoiceId: invoice.id, actor: { kind: "system" } }),
  ).rejects.toMatchObject({ code: "CONFLICT" });
});
