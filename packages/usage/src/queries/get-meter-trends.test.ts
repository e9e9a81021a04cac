import { aMeteredTenant, aUsageHistory, useTestDatabase } from "@meterplane/testing";
import { describe, expect, it } from "vitest";
import { getMeterTrends } from "./get-meter-trends.ts";

const t = useTestDatabase();

describe("meter trends", () => {
  it("name today so far apart from the whole-day weeks, so usage begun today is not a week of zero", async () => {
    const { tenant, environment } = await aMeteredTenant(t.db);
    const now = new Date("2026-12-05T06:30:00Z");
    const series = { tenantId: tenant.id, environmentId: environment.id };
    // CPU only today (00:00–06:00): 6 hours of 1,800 core-seconds. Memory the whole week before at 2 GiB,
    // and today's six hours at 1 GiB.
    await aUsageHistory(t.db, {
      ...series,
      meter: "cpu",
      from: new Date("2026-12-05T00:00:00Z"),
      hours: 6,
      value: 1800,
    });
    await aUsageHistory(t.db, {
      ...series,
      meter: "memory",
      from: new Date("2026-11-28T00:00:00Z"),
      hours: 7 * 24,
      value: 2 * 1024 ** 3,
    });
    await aUsageHistory(t.db, {
      ...series,
      meter: "memory",
      from: new Date("2026-12-05T00:00:00Z"),
      hours: 6,
      value: 1024 ** 3,
    });
    const trends = await getMeterTrends({ db: t.db, now });
    const cpu = trends.find((r) => r.meter === "cpu");
    expect(cpu?.points).toHaveLength(15);
    expect(cpu?.points.at(-1)?.day).toEqual(new Date("2026-12-05T00:00:00Z"));
    expect(cpu?.today.toFixed()).toBe("10800");
    expect(cpu?.lastWeek.toFixed()).toBe("0");
    const memory = trends.find((r) => r.meter === "memory");
    expect(memory?.lastWeek.div(7).toFixed()).toBe(String(2 * 1024 ** 3));
    // Six hours at 1 GiB over the 6.5 hours the day has had: the average level so far, not over 24 hours.
    expect(memory?.today.toNumber()).toBeCloseTo((1024 ** 3 * 6) / 6.5, 0);
  });
});
