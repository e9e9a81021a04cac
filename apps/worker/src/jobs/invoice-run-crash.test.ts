import { eventually, useTestDatabase } from "@meterplane/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { flatFeeTenants, settledRun, startStripeStack, stripeSideOf } from "./invoice-run-fixture.ts";

const database = useTestDatabase();
let stack: Awaited<ReturnType<typeof startStripeStack>>;
beforeAll(async () => {
  stack = await startStripeStack(database);
}, 60_000);
afterAll(() => stack?.close());

it("resumes without duplicates after the worker is SIGKILLed between creating and finalizing", async () => {
  await flatFeeTenants(database, 3, new Date("2026-09-01T00:00:00Z"));
  // Stripe takes its time to finalize, and does finalize, while the worker that asked is killed.
  stack.double.inject({ kind: "delay", path: "/finalize$", ms: 3000, times: Number.POSITIVE_INFINITY });
  const at = new Date("2026-10-01T01:00:00Z");
  await stack.trigger(at);
  await eventually(
    async () => stack.double.requests.filter((r) => r.path.endsWith("/finalize")).length === 3,
    "every finalize request to be in flight",
  );
  await stack.worker.kill();
  const stuck = await database.db.prisma.stripeInvoice.findMany();
  expect(stuck.map((s) => s.state)).toEqual(["lines_added", "lines_added", "lines_added"]);

  stack.double.clearFaults();
  await stack.restartWorker();
  const run = await settledRun(database, at, 60_000);
  expect(run).toMatchObject({ status: "completed", total: 3, succeeded: 3, failed: 0 });
  expect(run.retries).toBeGreaterThanOrEqual(3);

  const stripe = stripeSideOf(stack.double);
  expect(stripe.byOurId.size).toBe(3);
  for (const [, side] of stripe.byOurId) expect(side).toEqual({ invoices: 1, status: ["open"] });
  expect(stripe.creates).toBe(3);
  expect(stripe.finalizes).toBe(3);
}, 120_000);
