import { loadSpans } from "@meterplane/billing";
import { Dec } from "@meterplane/core";
import { aMeteredTenant, useTestDatabase } from "@meterplane/testing";
import { type Sample, seriesOfSamples } from "@meterplane/wire";
import { describe, expect, it } from "vitest";
import { acceptBatch } from "../ingest/accept-batch.ts";
import { findFleetRollupDrift } from "../monitoring/find-fleet-rollup-drift.ts";
import { findRollupDrift } from "../monitoring/find-rollup-drift.ts";
import { getUsage } from "../queries/get-usage.ts";
import { aggregateBatches } from "./aggregate-batches.ts";
import { hourLockClass } from "./open-hours.ts";
import { sealHours } from "./seal-hours.ts";

const t = useTestDatabase();
const hourMs = 3_600_000;
const minuteMs = 60_000;
// The last two hours of a day (and month) and the first of the next.
const first = Date.UTC(2026, 10, 30, 22);
const day = Date.UTC(2026, 10, 30);
const meters = ["cpu", "memory"];

type Tenant = Awaited<ReturnType<typeof aMeteredTenant>>;
let sequence = 0;

/** Stores a batch of `tenant`'s cpu and memory samples starting at each of `starts` (epoch ms). */
async function send(tenant: Tenant, starts: number[], value = "1.5") {
  const samples = starts.flatMap((start): Sample[] => [
    {
      environmentId: tenant.environment.id,
      meter: "cpu",
      start: new Date(start).toISOString(),
      seconds: 10,
      value,
    },
    {
      environmentId: tenant.environment.id,
      meter: "memory",
      start: new Date(start).toISOString(),
      seconds: 10,
      value: "1000",
    },
  ]);
  return acceptBatch({
    db: t.db,
    hostId: tenant.host.id,
    batch: { sequence: ++sequence, collectorVersion: "0.2.0", series: seriesOfSamples(samples) },
    now: new Date(Math.max(...starts) + hourMs),
  });
}

/** Every reader of days (and of environment hours), over the three days around the hours written. */
async function readDays(tenant: Tenant) {
  const range = {
    db: t.db,
    from: new Date(day),
    to: new Date(day + 3 * 86_400_000),
    now: new Date(day + 3 * 86_400_000),
  };
  const everyTenant = async (by: "tenant" | "meter", bucket: "day" | "hour" = "day") => {
    const rows = await getUsage({ ...range, tenantId: null, bucket, by, top: 8 });
    // Ranking by tenant reads the environments' months, which hold sealed hours only: before a seal a
    // tenant new in the open hours is "other". The figures per bucket stay the same.
    const totals = new Map<string, [Dec, Dec]>();
    for (const r of rows) {
      const key = `${r.meter} ${r.bucketStart}`;
      const [sum, level] = totals.get(key) ?? [new Dec(0), new Dec(0)];
      totals.set(key, [sum.plus(r.sum), level.plus(r.level)]);
    }
    // Levels are each group's integral ÷ the bucket's seconds, so their Σ can differ in the last of Postgres's
    // ~16 digits when the groups are split differently (a tenant "other" before the seal, ranked after it):
    // compared at the 12 places the integrals are stored to.
    return [...totals].map(([key, [sum, level]]) => [key, `${sum.toFixed()} ${level.toFixed(12)}`]).sort();
  };
  return {
    series: await getUsage({ ...range, tenantId: tenant.tenant.id, bucket: "day", limit: 100 }),
    months: await getUsage({ ...range, tenantId: tenant.tenant.id, bucket: "month", by: "meter", top: 8 }),
    byTenant: await everyTenant("tenant"),
    // By hour the top tenants are read from their environments' hours: stored for sealed hours only.
    byTenantHours: await everyTenant("tenant", "hour"),
    byMeter: await everyTenant("meter"),
    spans: await loadSpans({
      db: t.db,
      windows: [{ tenantId: tenant.tenant.id, from: new Date(day), to: new Date(day + 3 * 86_400_000) }],
      meters,
    }),
  };
}

async function expectNoDrift() {
  expect(await findRollupDrift({ db: t.db, granularity: "hour" })).toEqual([]);
  expect(await findRollupDrift({ db: t.db, granularity: "day" })).toEqual([]);
  expect(await findFleetRollupDrift({ db: t.db })).toEqual([]);
}

const storedDays = async () =>
  (
    await t.db.pool.query<{ bucketStart: Date; meter: string; sum: string; count: string }>(
      `SELECT "bucketStart", meter, sum::text, count::text FROM "UsageDaily" ORDER BY 1, 2, 3`,
    )
  ).rows.map((r) => [r.bucketStart.toISOString(), r.meter, r.sum, r.count]);

const sealedBefore = async () =>
  (await t.db.pool.query<{ at: Date }>(`SELECT "sealedBefore" AS at FROM "UsageSeal"`)).rows[0]!.at.getTime();

/** Resolves once `count` sessions of this database wait on `event` (a lock of that kind). */
async function waiting(event: string, count: number) {
  for (;;) {
    const { rows } = await t.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event = $1`,
      [event],
    );
    if (rows[0]!.n >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("sealing hours", () => {
  let a: Tenant;

  it("reads open hours by day before sealing; sealing moves them into the days and changes no figure", async () => {
    await t.db.pool.query(`UPDATE "UsageSeal" SET "sealedBefore" = $1`, [new Date(first)]);
    a = await aMeteredTenant(t.db);
    const b = await aMeteredTenant(t.db);
    const batches = [
      await send(a, [first + 10_000, first + 20_000, first + hourMs + 10_000, first + 2 * hourMs]),
      await send(b, [first + 10_000]),
    ];
    await aggregateBatches({ db: t.db, batches });
    expect(await storedDays()).toEqual([]);
    const before = await readDays(a);
    expect(before.series.map((r) => [r.bucketStart, r.meter, r.sum, r.count, r.last])).toEqual([
      ["2026-11-30T00:00:00.000Z", "cpu", "4.500000000000", "3", "1.500000000000"],
      ["2026-11-30T00:00:00.000Z", "memory", "3000.000000000000", "3", "1000.000000000000"],
      ["2026-12-01T00:00:00.000Z", "cpu", "1.500000000000", "1", "1.500000000000"],
      ["2026-12-01T00:00:00.000Z", "memory", "1000.000000000000", "1", "1000.000000000000"],
    ]);
    expect(before.byMeter).toContainEqual(["cpu 2026-11-30T00:00:00.000Z", expect.stringMatching(/^6 /)]);
    expect(before.byTenantHours).toContainEqual([
      "cpu 2026-11-30T22:00:00.000Z",
      expect.stringMatching(/^[1-9]/),
    ]);
    await expectNoDrift();

    // Two hours have ended more than the grace ago; the third, Dec 1's first, has not.
    const sealed = await sealHours({ db: t.db, now: new Date(first + 2 * hourMs + 3 * minuteMs) });
    expect(sealed.map((h) => h.getTime())).toEqual([first, first + hourMs]);
    expect(await sealedBefore()).toBe(first + 2 * hourMs);
    expect(await storedDays()).toEqual([
      ["2026-11-30T00:00:00.000Z", "cpu", "1.500000000000", "1"],
      ["2026-11-30T00:00:00.000Z", "cpu", "4.500000000000", "3"],
      ["2026-11-30T00:00:00.000Z", "memory", "1000.000000000000", "1"],
      ["2026-11-30T00:00:00.000Z", "memory", "3000.000000000000", "3"],
    ]);
    const after = await readDays(a);
    expect(after).toEqual(before);
    await expectNoDrift();

    // Sealing again is a no-op; the third hour follows once it has ended, and still no figure moves.
    expect(await sealHours({ db: t.db, now: new Date(first + 2 * hourMs + 3 * minuteMs) })).toEqual([]);
    expect(await storedDays()).toHaveLength(4);
    expect(await sealHours({ db: t.db, now: new Date(first + 3 * hourMs + 2 * minuteMs) })).toHaveLength(1);
    expect(await storedDays()).toHaveLength(6);
    expect(await readDays(a)).toEqual(before);
    await expectNoDrift();
  });

  it("adds a late batch of a sealed hour to the days directly", async () => {
    await aggregateBatches({ db: t.db, batches: [await send(a, [first + 30_000], "2")] });
    expect((await readDays(a)).series[0]).toMatchObject({ meter: "cpu", sum: "6.500000000000", count: "4" });
    const days = await storedDays();
    expect(days).toContainEqual(["2026-11-30T00:00:00.000Z", "cpu", "6.500000000000", "4"]);
    await expectNoDrift();
  });

  it("counts a group racing a seal once, whichever takes the hour's lock first", async () => {
    const hour = first + 3 * hourMs;
    const holder = await t.db.pool.connect();
    try {
      // The group first: it writes its open hour, then waits on a row the holder locks, holding the hour.
      await holder.query("BEGIN");
      await holder.query(`SELECT 1 FROM "Environment" WHERE id = $1 FOR UPDATE`, [a.environment.id]);
      const group = aggregateBatches({ db: t.db, batches: [await send(a, [hour + 10_000])] });
      await waiting("transactionid", 1);
      const seal = sealHours({ db: t.db, now: new Date(hour + hourMs + 3 * minuteMs) });
      await waiting("advisory", 1);
      await holder.query("COMMIT");
      await group;
      expect((await seal).map((h) => h.getTime())).toEqual([hour]);
      await expectNoDrift();

      // The seal first: a session holds the next hour as a group would, the seal waits for it, and a group
      // arriving then waits behind the seal and finds the hour sealed.
      const next = hour + hourMs;
      await holder.query("BEGIN");
      await holder.query(`SELECT pg_advisory_xact_lock_shared($1, $2)`, [hourLockClass, next / hourMs]);
      const sealNext = sealHours({ db: t.db, now: new Date(next + hourMs + 3 * minuteMs) });
      await waiting("advisory", 1);
      const late = aggregateBatches({ db: t.db, batches: [await send(a, [next + 10_000], "3")] });
      await waiting("advisory", 2);
      await holder.query("COMMIT");
      expect((await sealNext).map((h) => h.getTime())).toEqual([next]);
      await late;
      expect(await storedDays()).toContainEqual(["2026-12-01T00:00:00.000Z", "cpu", "6.000000000000", "3"]);
      await expectNoDrift();
    } finally {
      holder.release();
    }
  });
});
