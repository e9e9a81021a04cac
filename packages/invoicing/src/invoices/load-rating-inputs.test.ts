import { loadRatingInputs, ratePeriod } from "@meterplane/billing";
import { systemActor as actor } from "@meterplane/db";
import { anEnvironment, useTestDatabase } from "@meterplane/testing";
import { describe, expect, it } from "vitest";
import { createBillableMetric } from "../plans/create-billable-metric.ts";
import { aSubscribedTenant, type RollupFigures, someUsage, utc } from "../test/factories.ts";

const t = useTestDatabase();

// Every aggregation over two environments and two dimension sets, in a period anchored at 06:00 so it
// is read as hourly edges around daily rollups.
const aggregations = ["sum", "max", "avg", "time_weighted", "latest", "unique"] as const;

describe("loadRatingInputs", () => {
  it("rates daily rollups, hourly edges and merged spans exactly as the engine rates the hourly rollups", async () => {
    const metrics = [];
    for (const aggregation of aggregations) {
      metrics.push(
        await createBillableMetric({
          db: t.db,
          actor,
          code: `open_${aggregation}_${Date.now()}`,
          name: `Open resources (${aggregation})`,
          meter: "open_resources",
          aggregation,
          unit: "descriptor",
          filter: aggregation === "unique" ? {} : { kind: "socket" },
          uniqueBy: aggregation === "unique" ? "kind" : null,
        }),
      );
    }
    const { tenant, host, environment, subscription, planVersion } = await aSubscribedTenant(t.db, {
      startAt: utc("2024-03-01T06:00:00"),
      version: {
        currency: "USD",
        charges: metrics.map((m) => ({
          metric: m.code,
          model: "per_unit" as const,
          properties: { unitPrice: "1" },
        })),
      },
    });
    const other = await anEnvironment(t.db, { tenantId: tenant.id, hostId: host.id });
    const hours: (RollupFigures & { environmentId: string })[] = [];
    // 40 hours from Mar 1 03:00 (before the period) to Mar 2 18:00, and a few days later, varied values.
    const starts = [
      ...Array.from({ length: 40 }, (_, h) => Date.UTC(2024, 2, 1, 3 + h)),
      Date.UTC(2024, 2, 20, 9),
      Date.UTC(2024, 3, 1, 5),
    ];
    starts.forEach((start, i) => {
      for (const [environmentId, kind] of [
        [environment.id, "socket"],
        [other.id, "socket"],
        [environment.id, "file"],
      ] as const) {
        const level = ((i * 7 + kind.length + (environmentId === other.id ? 3 : 0)) % 11) + 1;
        hours.push({
          environmentId,
          meter: "open_resources",
          bucketStart: new Date(start),
          dimensions: { kind },
          sum: String(level),
          max: String(level + (i % 3)),
          last: String(level),
          integral: String(level * 1800),
          seconds: "1800",
        });
      }
    });
    for (const environmentId of [environment.id, other.id])
      await someUsage(
        t.db,
        tenant.id,
        environmentId,
        hours.filter((h) => h.environmentId === environmentId),
      );
    const period = { start: utc("2024-03-01T06:00:00"), end: utc("2024-04-01T06:00:00") };
    const [input] = await loadRatingInputs({
      db: t.db,
      targets: [
        {
          tenantId: tenant.id,
          subscriptionId: subscription.id,
          planVersionId: planVersion.id,
          startAt: period.start,
          endAt: null,
          period,
        },
      ],
    });
    const loaded = ratePeriod(input!);
    const hourly = Object.fromEntries(
      metrics.map((m) => [
        m.code,
        hours.map((h) => ({
          ...h,
          lastAt: new Date(h.bucketStart.getTime() + 59 * 60_000),
          sum: h.sum!,
          max: h.max!,
          last: h.last!,
          integral: h.integral!,
          seconds: h.seconds!,
        })),
      ]),
    );
    const pure = ratePeriod({ ...input!, rollups: hourly });
    // max: whole days are one bucket each, so it may only bound the hourly peak from above (see the README)
    const quantities = (invoice: typeof pure) =>
      invoice.lines.map((l) => [l.description.split(":")[0], l.quantity]);
    const [loadedMax, pureMax] = [quantities(loaded)[1]!, quantities(pure)[1]!];
    expect(Number(loadedMax[1])).toBeGreaterThanOrEqual(Number(pureMax[1]));
    expect(quantities(loaded).toSpliced(1, 1)).toEqual(quantities(pure).toSpliced(1, 1));
    expect(quantities(pure).every(([, q]) => q !== "0")).toBe(true);
  });
});
