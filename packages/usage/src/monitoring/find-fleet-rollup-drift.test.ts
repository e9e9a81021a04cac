import { aMeteredTenant, useTestDatabase } from "@meterplane/testing";
import { type Sample, seriesOfSamples } from "@meterplane/wire";
import { describe, expect, it } from "vitest";
import { aggregateBatches } from "../aggregation/aggregate-batches.ts";
import { acceptBatch } from "../ingest/accept-batch.ts";
import { getUsage } from "../queries/get-usage.ts";
import { findFleetRollupDrift } from "./find-fleet-rollup-drift.ts";
import { findRollupDrift } from "./find-rollup-drift.ts";

const t = useTestDatabase();
const hourMs = 3_600_000;
// The last hour of a day and the first of the next: two hours, two days (and two months).
const hour = Date.UTC(2026, 10, 30, 23);
const now = new Date(hour + 2 * hourMs);
const network = { channel: "network", direction: "sent" };

describe("fleet rollups", () => {
  it("equal Σ of the series rollups to the last decimal after aggregating batches, late ones too", async () => {
    const a = await aMeteredTenant(t.db);
    const b = await aMeteredTenant(t.db);
    const at = (seconds: number) => new Date(hour + seconds * 1000).toISOString();
    const samples = (environmentId: string, shift: number): Sample[] => [
      { environmentId, meter: "cpu", start: at(shift), seconds: 10, value: "1.25" },
      { environmentId, meter: "cpu", start: at(3600 + shift), seconds: 10, value: "0.5" },
      { environmentId, meter: "memory", start: at(shift), seconds: 10, value: "1000" },
      { environmentId, meter: "memory", start: at(3600 + shift), seconds: 20, value: "3000" },
      // 0.000000000001 × 0.5 s: each series' integral is half a unit of the 12th decimal, which its rollup
      // rounds up to a whole one; the fleet row must be Σ of the rounded rows (2 units), not the rounded Σ (1).
      {
        environmentId,
        meter: "data_throughput",
        start: at(shift),
        seconds: 0.5,
        value: "0.000000000001",
        dimensions: network,
      },
    ];
    const send = async (tenant: typeof a, sequence: number, batchSamples: Sample[]) =>
      acceptBatch({
        db: t.db,
        hostId: tenant.host.id,
        batch: { sequence, collectorVersion: "0.2.0", series: seriesOfSamples(batchSamples) },
        now,
      });
    // Both tenants' batches in one group, then a late batch of the first hour in a group of its own.
    const first = [
      await send(a, 1, samples(a.environment.id, 20)),
      await send(b, 1, samples(b.environment.id, 20)),
    ];
    await aggregateBatches({ db: t.db, batches: first });
    const late = await send(a, 2, [
      { environmentId: a.environment.id, meter: "cpu", start: at(0), seconds: 10, value: "0.75" },
    ]);
    await aggregateBatches({ db: t.db, batches: [late] });

    expect(await findRollupDrift({ db: t.db, granularity: "hour" })).toEqual([]);
    expect(await findRollupDrift({ db: t.db, granularity: "day" })).toEqual([]);
    expect(await findFleetRollupDrift({ db: t.db })).toEqual([]);
    const fleet = await t.db.pool.query(
      `SELECT meter, "dimensionKey", "bucketStart", sum::text, integral::text FROM "UsageFleetHourly"
        ORDER BY 1, 2, 3`,
    );
    expect(
      fleet.rows.map((r) => [r.meter, r.dimensionKey, r.bucketStart.getTime(), r.sum, r.integral]),
    ).toEqual([
      ["cpu", "", hour, "3.250000000000", "32.500000000000"],
      ["cpu", "", hour + hourMs, "1.000000000000", "10.000000000000"],
      ["data_throughput", "channel=network,direction=sent", hour, "0.000000000002", "0.000000000002"],
      ["memory", "", hour, "2000.000000000000", "20000.000000000000"],
      ["memory", "", hour + hourMs, "6000.000000000000", "120000.000000000000"],
    ]);
    const months = await t.db.pool.query(
      `SELECT "environmentId", "monthStart", sum::text FROM "UsageEnvironmentMonthly" WHERE meter = 'cpu'
        ORDER BY 2, 3`,
    );
    expect(months.rows.map((r) => [r.environmentId, r.monthStart.toISOString(), r.sum]).sort()).toEqual(
      [
        [a.environment.id, "2026-11-01T00:00:00.000Z", "2.000000000000"],
        [b.environment.id, "2026-11-01T00:00:00.000Z", "1.250000000000"],
        [a.environment.id, "2026-12-01T00:00:00.000Z", "0.500000000000"],
        [b.environment.id, "2026-12-01T00:00:00.000Z", "0.500000000000"],
      ].sort(),
    );

    // Read over every tenant from the fleet rows: a gauge's level is Σ integral ÷ the hour's 3,600 s.
    const byMeter = await getUsage({
      db: t.db,
      tenantId: null,
      from: new Date(hour),
      to: new Date(hour + 2 * hourMs),
      bucket: "hour",
      by: "meter",
      top: 8,
      now,
    });
    const memory = byMeter.filter((r) => r.meter === "memory").map((r) => Number(r.level));
    expect(memory).toHaveLength(2);
    expect(memory[0]).toBeCloseTo(20000 / 3600, 12);
    expect(memory[1]).toBeCloseTo(120000 / 3600, 12);
  });

  it("are listed when they differ from the series rollups, missing or extra", async () => {
    await t.db.pool.query(
      `UPDATE "UsageFleetHourly" SET integral = integral + 0.000000000001 WHERE meter = 'memory'
          AND "bucketStart" = $1`,
      [new Date(hour)],
    );
    await t.db.pool.query(`DELETE FROM "UsageFleetDaily" WHERE meter = 'cpu' AND "bucketStart" = $1`, [
      new Date(Date.UTC(2026, 11, 1)),
    ]);
    await t.db.pool.query(`UPDATE "UsageEnvironmentMonthly" SET sum = 0 WHERE meter = 'memory'`);
    await t.db.pool.query(
      `INSERT INTO "UsageFleetDaily" (meter, "bucketStart", sum, integral) VALUES ('processes', $1, 1, 1)`,
      [new Date(Date.UTC(2026, 10, 30))],
    );
    const drift = await findFleetRollupDrift({ db: t.db });
    const months = drift.filter((d) => d.table === "UsageEnvironmentMonthly");
    // Two environments' memory in November (1,000) and December (3,000), each stored as 0.
    expect(months.map((d) => [d.key.split("|")[2], d.expected?.sum, d.actual?.sum]).sort()).toEqual([
      ["memory", "1000.000000000000", "0.000000000000"],
      ["memory", "1000.000000000000", "0.000000000000"],
      ["memory", "3000.000000000000", "0.000000000000"],
      ["memory", "3000.000000000000", "0.000000000000"],
    ]);
    const fleet = drift.filter((d) => d.table !== "UsageEnvironmentMonthly");
    expect(fleet.map((d) => [d.table, d.key, d.expected, d.actual])).toEqual([
      [
        "UsageFleetDaily",
        "cpu||2026-12-01T00:00:00.000Z",
        { sum: "1.000000000000", integral: "10.000000000000" },
        null,
      ],
      [
        "UsageFleetDaily",
        "processes||2026-11-30T00:00:00.000Z",
        null,
        { sum: "1.000000000000", integral: "1.000000000000" },
      ],
      [
        "UsageFleetHourly",
        "memory||2026-11-30T23:00:00.000Z",
        { sum: "2000.000000000000", integral: "20000.000000000000" },
        { sum: "2000.000000000000", integral: "20000.000000000001" },
      ],
    ]);
  });
});
