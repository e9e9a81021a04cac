import { aMeteredTenant, useTestDatabase } from "@meterplane/testing";
import { batchOfFlat, type Sample } from "@meterplane/wire";
import { describe, expect, it } from "vitest";
import { acceptBatch } from "../ingest/accept-batch.ts";
import { findRollupDrift } from "./find-rollup-drift.ts";

const t = useTestDatabase();
const hourMs = 3_600_000;

const measureNames = ["sum", "count", "min", "max", "last", "integral", "seconds"] as const;
type Measures = Record<(typeof measureNames)[number], string>;

/** Stores samples as a host's batch, as ingest would. */
const acceptSamples = (hostId: string, sequence: number, samples: Sample[]) =>
  acceptBatch({ db: t.db, hostId, batch: batchOfFlat({ sequence, collectorVersion: "0.2.0", samples }) });

/** Stores an hourly rollup directly, as aggregation would, right or wrong. */
const storeHour = (
  key: { tenantId: string; environmentId: string; meter: string; bucketStart: Date },
  measures: Measures,
) =>
  t.db.pool.query(
    `INSERT INTO "UsageHourly" ("tenantId", "environmentId", meter, "bucketStart", sum, count, min, max, last,
                                "lastAt", integral, seconds)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $4, $10, $11)`,
    [key.tenantId, key.environmentId, key.meter, key.bucketStart, ...measureNames.map((m) => measures[m])],
  );

describe("rollup drift", () => {
  it("list the buckets whose stored rollups differ from the raw batches, missing and extra ones too", async () => {
    const { tenant, host, environment } = await aMeteredTenant(t.db);
    const hour = Math.floor(Date.now() / hourMs) * hourMs - 2 * hourMs;
    const at = (seconds: number) => new Date(hour + seconds * 1000).toISOString();
    const sample = (meter: Sample["meter"], start: string, value: string, seconds = 10): Sample => ({
      environmentId: environment.id,
      meter,
      start,
      seconds,
      value,
    });
    const network = { channel: "network", direction: "sent" };
    await acceptSamples(host.id, 1, [
      sample("cpu", at(10), "2.25"),
      sample("memory", at(0), "1000"),
      // 0.000000000001 × 0.5 s: an integral half a unit of the 12th decimal, which rounds away from zero.
      { ...sample("data_throughput", at(0), "0.000000000001", 0.5), dimensions: network },
    ]);
    // A late sample: received after the one above, yet "last" stays the value of the sample that starts last.
    await acceptSamples(host.id, 2, [sample("cpu", at(0), "1.5")]);

    const bucketStart = new Date(hour);
    const store = (meter: string, measures: Measures) =>
      storeHour({ tenantId: tenant.id, environmentId: environment.id, meter, bucketStart }, measures);
    const cpu = {
      sum: "3.75",
      count: "2",
      min: "1.5",
      max: "2.25",
      last: "2.25",
      integral: "37.5",
      seconds: "20",
    };
    await store("cpu", cpu);
    const memory = {
      sum: "1000",
      count: "1",
      min: "1000",
      max: "1000",
      last: "1000",
      integral: "10000",
      seconds: "10",
    };
    await store("memory", { ...memory, sum: "999" });
    // A rollup with no raw samples behind it at all.
    const processes = { sum: "3", count: "1", min: "3", max: "3", last: "3", integral: "30", seconds: "10" };
    await store("processes", processes);

    const series = { granularity: "hour", tenantId: tenant.id, environmentId: environment.id, bucketStart };
    expect(await findRollupDrift({ db: t.db, granularity: "hour" })).toEqual([
      {
        ...series,
        meter: "data_throughput",
        dimensionKey: "channel=network,direction=sent",
        expected: numeric({
          sum: "0.000000000001",
          count: "1",
          min: "0.000000000001",
          max: "0.000000000001",
          last: "0.000000000001",
          integral: "0.000000000001",
          seconds: "0.5",
        }),
        actual: null,
      },
      {
        ...series,
        meter: "memory",
        dimensionKey: "",
        expected: numeric(memory),
        actual: numeric({ ...memory, sum: "999" }),
      },
      {
        ...series,
        meter: "processes",
        dimensionKey: "",
        expected: null,
        actual: numeric(processes),
      },
    ]);

    // No daily rollups were stored: every series of the day is missing, in one bucket at midnight UTC.
    const daily = await findRollupDrift({ db: t.db, granularity: "day" });
    expect(daily.map((d) => [d.meter, d.bucketStart.getTime(), d.actual])).toEqual([
      ["cpu", Math.floor(hour / 86_400_000) * 86_400_000, null],
      ["data_throughput", Math.floor(hour / 86_400_000) * 86_400_000, null],
      ["memory", Math.floor(hour / 86_400_000) * 86_400_000, null],
    ]);
    expect(daily[0]?.expected).toEqual(numeric(cpu));
  });

  it("find an hour filed under another tenant than its environment's (no foreign key refuses one)", async () => {
    const { tenant, host, environment } = await aMeteredTenant(t.db);
    const other = await aMeteredTenant(t.db);
    const bucketStart = new Date(Math.floor(Date.now() / hourMs) * hourMs - 4 * hourMs);
    await acceptSamples(host.id, 1, [
      {
        environmentId: environment.id,
        meter: "cpu",
        start: bucketStart.toISOString(),
        seconds: 10,
        value: "2",
      },
    ]);
    const measures = { sum: "2", count: "1", min: "2", max: "2", last: "2", integral: "20", seconds: "10" };
    await storeHour(
      { tenantId: other.tenant.id, environmentId: environment.id, meter: "cpu", bucketStart },
      measures,
    );

    // The environment's own tenant misses the hour; the other tenant has one it should not.
    const drift = await findRollupDrift({ db: t.db, granularity: "hour" });
    const found = drift.filter((d) => d.environmentId === environment.id);
    expect(Object.fromEntries(found.map((d) => [d.tenantId, [d.expected, d.actual]]))).toEqual({
      [tenant.id]: [numeric(measures), null],
      [other.tenant.id]: [null, numeric(measures)],
    });
    expect(found).toHaveLength(2);
  });

  it("read every stored batch, however many pages they take", async () => {
    const { tenant, host, environment } = await aMeteredTenant(t.db);
    const hour = Math.floor(Date.now() / hourMs) * hourMs - 3 * hourMs;
    // Past batch ids 9 and 99 and past a page (200 batches), where an order by text or a wrong key loses some.
    await Promise.all(
      Array.from({ length: 250 }, (_, i) =>
        acceptSamples(host.id, i + 1, [
          {
            environmentId: environment.id,
            meter: "transactions",
            start: new Date(hour + i * 1000).toISOString(),
            seconds: 1,
            value: "1",
          },
        ]),
      ),
    );
    const drift = await findRollupDrift({ db: t.db, granularity: "hour" });
    expect(drift.filter((d) => d.tenantId === tenant.id).map((d) => [d.meter, d.expected?.count])).toEqual([
      ["transactions", "250.000000000000"],
    ]);
  });
});

/** Measures as Postgres prints a numeric(38, 12): twelve decimals. */
function numeric(measures: Measures): Record<string, string> {
  return Object.fromEntries(
    Object.entries(measures).map(([name, value]) => {
      const [whole, fraction = ""] = value.split(".");
      return [name, `${whole}.${fraction.padEnd(12, "0")}`];
    }),
  );
}
