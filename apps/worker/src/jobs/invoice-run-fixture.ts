import { systemActor } from "@meterplane/db";
import { createPlan, createSubscription } from "@meterplane/invoicing";
import { createRedis } from "@meterplane/queue";
import { createInvoiceRunQueue } from "@meterplane/stripe";
import { type StripeDouble, startStripeDouble } from "@meterplane/stripe/double";
import {
  aTenant,
  eventually,
  type RunningProcess,
  redisUrl,
  startWorker,
  type TestDatabase,
  uniqueQueuePrefix,
} from "@meterplane/testing";

/**
 * What the invoice run tests share: a Stripe double in the test process, a real worker process pointed
 * at it and at this file's database and queue prefix, tenants with a flat monthly plan, and a way to
 * trigger a run and read what Stripe received.
 */
export async function startStripeStack(database: TestDatabase) {
  const prefix = uniqueQueuePrefix();
  process.env.MP_QUEUE_PREFIX = prefix;
  const double = await startStripeDouble();
  const redis = createRedis(redisUrl(), { blocking: true });
  const runQueue = createInvoiceRunQueue(redis);
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl(),
    MP_QUEUE_PREFIX: prefix,
    METRICS_PORT: "0",
    STRIPE_SECRET_KEY: "sk_test_double",
    STRIPE_API_HOST: double.host,
    STRIPE_API_PORT: String(double.port),
    STRIPE_API_PROTOCOL: "http",
    STRIPE_TIMEOUT_MS: "2000",
    STRIPE_SYNC_LOCK_MS: "2000",
    // Never fires during a test: runs are triggered with an explicit cut-off.
    INVOICE_RUN_CRON: "0 1 1 1 *",
  };
  let worker: RunningProcess = await startWorker(env);
  return {
    double,
    get worker() {
      return worker;
    },
    async restartWorker() {
      worker = await startWorker(env);
    },
    async trigger(at: Date) {
      await runQueue.add(
        "invoice-run",
        { at: at.toISOString() },
        { jobId: `run-${at.getTime()}-${Date.now()}` },
      );
    },
    async close() {
      await worker.stop();
      await runQueue.close();
      redis.disconnect();
      await double.close();
    },
  };
}

/** `count` tenants on a flat 31 USD monthly plan since `startAt`. */
export async function flatFeeTenants(database: TestDatabase, count: number, startAt: Date) {
  const { db } = database;
  const { version } = await createPlan({
    db,
    actor: systemActor,
    code: `flat-${Date.now()}-${count}`,
    name: "Flat",
    version: {
      currency: "USD",
      charges: [{ name: "Platform fee", model: "flat", properties: { amount: "31" } }],
    },
  });
  const tenants = [];
  for (let i = 0; i < count; i++) {
    const tenant = await aTenant(db);
    await createSubscription({
      db,
      actor: systemActor,
      tenantId: tenant.id,
      planVersionId: version.id,
      startAt,
    });
    tenants.push(tenant);
  }
  return tenants;
}

/** The run record of `at` once every invoice in it is settled (in Stripe or failed). */
export function settledRun(database: TestDatabase, at: Date, timeoutMs = 60_000) {
  return eventually(
    async () => {
      const run = await database.db.prisma.invoiceRun.findUnique({ where: { periodEnd: at } });
      return run && run.status !== "running" && run.total > 0 ? run : undefined;
    },
    `the invoice run of ${at.toISOString()} to settle`,
    timeoutMs,
  );
}

/** Per Meterplane invoice id: how many invoices Stripe holds, and how many create/finalize calls it carried out. */
export function stripeSideOf(double: StripeDouble) {
  const invoices = [...double.store.invoices.values()];
  const byOurId = new Map<string, { invoices: number; status: string[] }>();
  for (const invoice of invoices) {
    const id = (invoice.metadata as Record<string, string>).meterplane_invoice_id ?? "";
    const entry = byOurId.get(id) ?? { invoices: 0, status: [] };
    entry.invoices += 1;
    entry.status.push(String(invoice.status));
    byOurId.set(id, entry);
  }
  const executed = (suffix: string) =>
    double.requests.filter(
      (r) =>
        r.method === "POST" &&
        !r.replayed &&
        (r.status === 200 || (r.fault === "timeout" && r.status === null) || r.fault === "delay") &&
        r.idempotencyKey?.endsWith(suffix),
    ).length;
  return { byOurId, creates: executed(":create"), finalizes: executed(":finalize") };
}
