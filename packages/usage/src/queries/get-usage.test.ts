import { aMeteredTenant, anEnvironment, aUsageHistory, useTestDatabase } from "@meterplane/testing";
import { describe, expect, it } from "vitest";
import { getUsage, type UsageRow } from "./get-usage.ts";
import { bucketForRange, checkUsageRange } from "./usage-range.ts";

const t = useTestDatabase();
const day = Date.UTC(2026, 10, 2);
const hours = (n: number) => n * 3_600_000;

describe("a usage range", () => {
  it("is refused when wider than its bucket allows, as the range that once exhausted the web heap was", () => {
    const from = new Date("1976-12-05T00:00:00Z");
    const to = new Date("2026-12-05T00:00:00Z");
    expect(() => checkUsageRange(from, to, "month")).toThrow(/at most 3660 days/);
    expect(() => checkUsageRange(to, from, "day")).toThrow(/before/);
    expect(() => checkUsageRange(new Date("9999-99-99"), to, "day")).toThrow(/must be dates/);
    expect(() => checkUsageRange(new Date(day), new Date(day + hours(24 * 94)), "hour")).toThrow(/93 days/);
  });

  it("is drawn in buckets that grow with it", () => {
    const bucketOf = (span: number) => bucketForRange(new Date(day), new Date(day + span));
    expect(bucketOf(hours(24))).toBe("hour");
    expect(bucketOf(hours(24 * 7))).toBe("hour");
    expect(bucketOf(hours(24 * 30))).toBe("6 hours");
    expect(bucketOf(hours(24 * 365))).toBe("week");
    expect(bucketOf(hours(24 * 3660))).toBe("month");
  });
});

describe("getUsage", () => {
  it("folds hourly rollups into 6-hour buckets: counters add up, gauges read their time-weighted level", async () => {
    const { tenant, environment } = await aMeteredTenant(t.db);
    const series = { tenantId: tenant.id, environmentId: environment.id, from: new Date(day), hours: 12 };
    await aUsageHistory(t.db, { ...series, meter: "cpu", value: "1.5" });
    await aUsageHistory(t.db, { ...series, meter: "memory", value: "1073741824" });
    const range = { db: t.db, tenantId: tenant.id, from: new Date(day), to: new Date(day + hours(12)) };

    const bySeries = await getUsage({ ...range, bucket: "6 hours", limit: 100 });
    expect(bySeries.filter((r) => r.meter === "cpu").map((r) => [r.bucketStart, r.sum, r.count])).toEqual([
      ["2026-11-02T00:00:00.000Z", "9.000000000000", "6"],
      ["2026-11-02T06:00:00.000Z", "9.000000000000", "6"],
    ]);
    const byMeter = await getUsage({ ...range, bucket: "6 hours", by: "meter", top: 5 });
    const memory = byMeter.filter((r) => r.meter === "memory");
    expect(memory.map((r) => Number(r.level))).toEqual([1073741824, 1073741824]);
  });

  it("keeps the largest groups of each meter and folds the rest into one, over one tenant only", async () => {
    const { tenant, host } = await aMeteredTenant(t.db);
    const other = await aMeteredTenant(t.db);
    const environments = [];
    for (const value of [1, 2, 3]) {
      const environment = await anEnvironment(t.db, { tenantId: tenant.id, hostId: host.id });
      await aUsageHistory(t.db, {
        tenantId: tenant.id,
        environmentId: environment.id,
        meter: "transactions",
        from: new Date(day),
        hours: 2,
        value,
      });
      environments.push(environment);
    }
    await aUsageHistory(t.db, {
      tenantId: other.tenant.id,
      environmentId: other.environment.id,
      meter: "transactions",
      from: new Date(day),
      hours: 2,
      value: 1000,
    });

    const rows = await getUsage({
      db: t.db,
      tenantId: tenant.id,
      from: new Date(day),
      to: new Date(day + hours(2)),
      bucket: "hour",
      by: "environment",
      top: 2,
    });
    const [, middle, large] = environments.map((e) => e.id);
    expect(rows.map((r) => [r.group, Number(r.sum)])).toEqual([
      [large, 3],
      [large, 3],
      [middle, 2],
      [middle, 2],
      [null, 1],
      [null, 1],
    ]);
  });

  it("reads a gauge's level as Σ integral over the bucket's elapsed seconds, absent hours counting zero", async () => {
    const from = new Date(Date.UTC(2026, 8, 7));
    const { tenant, environment } = await aMeteredTenant(t.db);
    // 1,200 bytes held for the first 3 hours of a 6-hour bucket: 600 on average over the bucket.
    await aUsageHistory(t.db, {
      tenantId: tenant.id,
      environmentId: environment.id,
      meter: "memory",
      from,
      hours: 3,
      value: 1200,
    });
    const read = (tenantId: string | null, now?: Date) =>
      getUsage({
        db: t.db,
        tenantId,
        meter: "memory",
        from,
        to: new Date(from.getTime() + hours(6)),
        bucket: "6 hours",
        by: "meter",
        top: 8,
        now,
      });
    // One tenant's series and every tenant's fleet rows read the same figure.
    for (const tenantId of [tenant.id, null]) {
      expect((await read(tenantId)).map((r) => Number(r.level))).toEqual([600]);
      // While the bucket runs, it averages over the seconds it has had: 3 hours so far.
      expect((await read(tenantId, new Date(from.getTime() + hours(3)))).map((r) => Number(r.level))).toEqual(
        [1200],
      );
    }
  });

  it("over every tenant, reads the top tenants' and environments' series and the rest as the fleet less them", async () => {
    const from = new Date(Date.UTC(2026, 9, 5));
    const ids: { tenant: string; environment: string }[] = [];
    for (const value of ["1.5", "2", "3"]) {
      const { tenant, environment } = await aMeteredTenant(t.db);
      await aUsageHistory(t.db, {
        tenantId: tenant.id,
        environmentId: environment.id,
        meter: "transactions",
        from,
        hours: 2,
        value,
      });
      ids.push({ tenant: tenant.id, environment: environment.id });
    }
    const read = (by: "tenant" | "environment" | "meter") =>
      getUsage({
        db: t.db,
        tenantId: null,
        meter: "transactions",
        from,
        to: new Date(from.getTime() + hours(2)),
        bucket: "hour",
        by,
        top: 2,
      });
    for (const by of ["tenant", "environment"] as const) {
      const [small, middle, large] = ids.map((id) => id[by]);
      expect(small).toBeDefined();
      expect((await read(by)).map((r) => [r.group, r.bucketStart, r.sum])).toEqual([
        [large, "2026-10-05T00:00:00.000Z", "3.000000000000"],
        [large, "2026-10-05T01:00:00.000Z", "3.000000000000"],
        [middle, "2026-10-05T00:00:00.000Z", "2.000000000000"],
        [middle, "2026-10-05T01:00:00.000Z", "2.000000000000"],
        [null, "2026-10-05T00:00:00.000Z", "1.500000000000"],
        [null, "2026-10-05T01:00:00.000Z", "1.500000000000"],
      ]);
    }
    expect((await read("meter")).map((r) => [r.group, r.sum])).toEqual([
      ["", "6.500000000000"],
      ["", "6.500000000000"],
    ]);
  });

  it("pages series by keyset without skipping or repeating a row", async () => {
    const { tenant, environment } = await aMeteredTenant(t.db);
    const series = { tenantId: tenant.id, environmentId: environment.id, from: new Date(day), hours: 5 };
    await aUsageHistory(t.db, { ...series, meter: "processes", value: 4 });
    await aUsageHistory(t.db, {
      ...series,
      meter: "open_resources",
      value: 7,
      dimensions: { kind: "socket" },
    });
    const range = { db: t.db, tenantId: tenant.id, from: new Date(day), to: new Date(day + hours(5)) };
    const seen: string[] = [];
    let after: [string, string, string, string] | null = null;
    for (;;) {
      const page: UsageRow[] = await getUsage({ ...range, bucket: "hour", after, limit: 3 });
      seen.push(...page.map((r) => `${r.bucketStart} ${r.meter} ${r.dimensionKey}`));
      const last = page.at(-1);
      if (page.length < 3 || !last) break;
      after = [last.bucketStart, last.environmentId, last.meter, last.dimensionKey];
    }
    expect(seen).toHaveLength(10);
    expect(new Set(seen).size).toBe(10);
  });
});
