import { systemActor as actor } from "@meterplane/db";
import { useTestDatabase } from "@meterplane/testing";
import { acceptBatch, aggregateBatches } from "@meterplane/usage";
import { batchOfFlat, type Sample } from "@meterplane/wire";
import { describe, expect, it } from "vitest";
import { aSubscribedTenant, someMetrics } from "../test/factories.ts";
import { getLineWork } from "./get-line-work.ts";
import { rateSubscriptionPeriod } from "./rate-subscription-period.ts";

const t = useTestDatabase();
const hourMs = 3_600_000;

describe("the work behind a line", () => {
  it("list the first raw samples by start across every batch, a late one among them", async () => {
    const now = new Date();
    const hour = Math.floor(now.getTime() / hourMs) * hourMs - hourMs;
    const metrics = await someMetrics(t.db);
    const { tenant, host, environment, subscription } = await aSubscribedTenant(t.db, {
      startAt: new Date(hour - 86_400_000),
      version: {
        currency: "USD",
        charges: [{ metric: metrics.cpu.code, model: "per_unit", properties: { unitPrice: "0.05" } }],
      },
    });
    const sample = (meter: Sample["meter"], second: number): Sample => ({
      environmentId: environment.id,
      meter,
      start: new Date(hour + second * 1000).toISOString(),
      seconds: 5,
      value: "5",
    });
    // More batches than one page holds, each a sample 5 s after the previous one's.
    const batches = await Promise.all(
      Array.from({ length: 250 }, (_, i) =>
        acceptBatch({
          db: t.db,
          hostId: host.id,
          batch: batchOfFlat({
            sequence: i + 1,
            collectorVersion: "0.2.0",
            samples: [sample("cpu", 5 + i * 5)],
          }),
          now,
        }),
      ),
    );
    // Received last, yet it starts first; its memory sample is behind no CPU rollup.
    const late = await acceptBatch({
      db: t.db,
      hostId: host.id,
      batch: batchOfFlat({
        sequence: 251,
        collectorVersion: "0.2.0",
        samples: [sample("memory", 0), sample("cpu", 0)],
      }),
      now,
    });
    await aggregateBatches({ db: t.db, batches: [...batches, late] });
    const { invoice } = await rateSubscriptionPeriod({
      db: t.db,
      tenantId: tenant.id,
      subscriptionId: subscription.id,
      actor,
      at: now,
    });
    const cpu = invoice.lines[0]!;
    const start = (second: number) => new Date(hour + second * 1000).toISOString();

    const first = await getLineWork({ db: t.db, tenantId: tenant.id, lineId: cpu.id, limit: 5 });
    expect(first.samples.map((s) => [s.meter, s.start])).toEqual(
      [0, 5, 10, 15, 20].map((second) => ["cpu", start(second)]),
    );
    expect(first.samples[0]?.batchId).toBe(late.batchId);
    expect(first.truncated).toBe(true);

    const all = await getLineWork({ db: t.db, tenantId: tenant.id, lineId: cpu.id });
    expect(all.samples.map((s) => s.start)).toEqual(Array.from({ length: 251 }, (_, i) => start(i * 5)));
    expect(all.truncated).toBe(false);
  });
});
