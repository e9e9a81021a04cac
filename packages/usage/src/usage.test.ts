import { aMeteredTenant, useTestDatabase } from "@meterplane/testing";
import {
  type Batch,
  batchOfFlat,
  type FlatBatch,
  type Sample,
  seriesOfSamples,
  storedBatchBody,
} from "@meterplane/wire";
import { describe, expect, it } from "vitest";
import { aggregateBatches } from "./aggregation/aggregate-batches.ts";
import { findUnaggregatedBatches } from "./aggregation/find-unaggregated-batches.ts";
import { acceptBatch } from "./ingest/accept-batch.ts";
import { getUsage } from "./queries/get-usage.ts";

const t = useTestDatabase();
const hour = Date.UTC(2026, 10, 26, 10);

function sample(environmentId: string, overrides: Partial<Sample> = {}): Sample {
  return {
    environmentId,
    meter: "cpu",
    start: new Date(hour).toISOString(),
    seconds: 10,
    value: "1.5",
    ...overrides,
  };
}

function batch(sequence: number, samples: Sample[]): Batch {
  return { sequence, collectorVersion: "0.2.0", series: seriesOfSamples(samples) };
}

const now = new Date(hour + 3600_000);

describe("ingest and aggregation", () => {
  it("store a batch once per (host, sequence) and report replays as duplicates", async () => {
    const { host, environment } = await aMeteredTenant(t.db);
    const first = await acceptBatch({
      db: t.db,
      hostId: host.id,
      batch: batch(1, [sample(environment.id)]),
      now,
    });
    const again = await acceptBatch({
      db: t.db,
      hostId: host.id,
      batch: batch(1, [sample(environment.id)]),
      now,
    });
    expect(first.status).toBe("accepted");
    expect(again).toEqual({ ...first, status: "duplicate" });
  });

  it("refuse other samples under a sequence already used, rather than call them a replay and drop them", async () => {
    const { host, environment } = await aMeteredTenant(t.db);
    const dimensions = { direction: "sent", channel: "network" };
    const sent = batch(7, [sample(environment.id, { meter: "data_throughput", dimensions })]);
    await acceptBatch({ db: t.db, hostId: host.id, batch: sent, now });
    // The same samples, written with the start at another precision and the dimensions in another order.
    const replay = batch(7, [
      sample(environment.id, {
        meter: "data_throughput",
        start: "2026-11-26T10:00:00Z",
        dimensions: { channel: "network", direction: "sent" },
      }),
    ]);
    expect((await acceptBatch({ db: t.db, hostId: host.id, batch: replay, now })).status).toBe("duplicate");
    // A collector that lost its state starts counting again with new samples.
    const reused = batch(7, [sample(environment.id, { value: "2.5" })]);
    await expect(acceptBatch({ db: t.db, hostId: host.id, batch: reused, now })).rejects.toMatchObject({
      code: "SEQUENCE_REUSED",
    });
  });

  it("store nothing when one sample names an environment of another host", async () => {
    const mine = await aMeteredTenant(t.db);
    const theirs = await aMeteredTenant(t.db);
    const mixed = batch(1, [sample(mine.environment.id), sample(theirs.environment.id)]);
    await expect(acceptBatch({ db: t.db, hostId: mine.host.id, batch: mixed, now })).rejects.toMatchObject({
      code: "UNKNOWN_ENVIRONMENT",
    });
    const { rows } = await t.db.pool.query(`SELECT 1 FROM "BatchKey" WHERE "hostId" = $1`, [mine.host.id]);
    expect(rows).toHaveLength(0);
  });

  it("reject samples from the future and older than the late-data window", async () => {
    const { host, environment } = await aMeteredTenant(t.db);
    const future = sample(environment.id, { start: new Date(now.getTime() + 10 * 60_000).toISOString() });
    await expect(
      acceptBatch({ db: t.db, hostId: host.id, batch: batch(1, [future]), now }),
    ).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    const ancient = new Date(now.getTime() - 8 * 86_400_000).toISOString();
    // The error names the point by its path in the series form: the memory series, its third point.
    const late = batch(2, [
      sample(environment.id),
      sample(environment.id, { meter: "memory" }),
      sample(environment.id, { meter: "memory", start: new Date(hour + 10_000).toISOString() }),
      sample(environment.id, { meter: "memory", start: ancient }),
    ]);
    await expect(acceptBatch({ db: t.db, hostId: host.id, batch: late, now })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      message: "series[1].starts[2] is older than the late-data window",
    });
  });

  it("refuse instants JavaScript would roll over and values the rollups could not hold", async () => {
    const { host, environment } = await aMeteredTenant(t.db);
    const rolledOver = sample(environment.id, { start: "2026-11-31T10:00:00Z" });
    await expect(
      acceptBatch({ db: t.db, hostId: host.id, batch: batch(1, [rolledOver]), now }),
    ).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    const huge = sample(environment.id, { value: "1".repeat(21) });
    await expect(
      acceptBatch({ db: t.db, hostId: host.id, batch: batch(2, [huge]), now }),
    ).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
  });

  it("fold samples into hourly and daily rollups exactly once, however often a batch is aggregated", async () => {
    const { tenant, host, environment } = await aMeteredTenant(t.db);
    const samples = [
      sample(environment.id, { value: "1.25" }),
      sample(environment.id, { value: "0.000001", start: new Date(hour + 10_000).toISOString() }),
      sample(environment.id, { meter: "memory", value: "1000", seconds: 10 }),
      sample(environment.id, {
        meter: "memory",
        value: "3000",
        seconds: 20,
        start: new Date(hour + 10_000).toISOString(),
      }),
    ];
    const accepted = await acceptBatch({ db: t.db, hostId: host.id, batch: batch(1, samples), now });
    const ref = { batchId: accepted.batchId, receivedAt: accepted.receivedAt };
    const results = await Promise.all([
      aggregateBatches({ db: t.db, batches: [ref] }),
      aggregateBatches({ db: t.db, batches: [ref] }),
    ]);
    expect(results.map((r) => r.batches).sort()).toEqual([0, 1]);
    await aggregateBatches({ db: t.db, batches: [ref] });

    const range = { db: t.db, tenantId: tenant.id, from: new Date(hour - 86_400_000), to: now };
    const hourly = await getUsage({ ...range, bucket: "hour", limit: 100 });
    const cpu = hourly.find((r) => r.meter === "cpu");
    const memory = hourly.find((r) => r.meter === "memory");
    expect(cpu).toMatchObject({ sum: "1.250001000000", count: "2" });
    // time-weighted: 1000 B × 10 s + 3000 B × 20 s = 70,000 B·s over 30 s
    expect(memory).toMatchObject({
      integral: "70000.000000000000",
      seconds: "30.000000000000",
      max: "3000.000000000000",
      last: "3000.000000000000",
    });
    const daily = await getUsage({ ...range, bucket: "day", limit: 100 });
    expect(daily.find((r) => r.meter === "cpu")?.sum).toBe("1.250001000000");
    expect((await findUnaggregatedBatches({ db: t.db })).map((b) => b.batchId)).not.toContain(
      accepted.batchId,
    );
  });

  it("record each environment's latest sample, which a late batch does not move back", async () => {
    const { host, environment } = await aMeteredTenant(t.db);
    const aggregate = async (sequence: number, start: number) => {
      const accepted = await acceptBatch({
        db: t.db,
        hostId: host.id,
        batch: batch(sequence, [
          sample(environment.id, { start: new Date(start).toISOString() }),
          sample(environment.id, { meter: "memory", start: new Date(start - 10_000).toISOString() }),
        ]),
        now,
      });
      await aggregateBatches({ db: t.db, batches: [accepted] });
      const row = await t.db.prisma.environment.findFirstOrThrow({ where: { id: environment.id } });
      return row.lastSampleAt?.toISOString();
    };
    await expect(aggregate(1, hour + 20_000)).resolves.toBe(new Date(hour + 20_000).toISOString());
    await expect(aggregate(2, hour + 50_000)).resolves.toBe(new Date(hour + 50_000).toISOString());
    await expect(aggregate(3, hour - 3_600_000)).resolves.toBe(new Date(hour + 50_000).toISOString());
  });

  it("accept a flat batch from a collector before 0.2.0, recognise its flat replay, and fold it as its series form", async () => {
    // Interleaved as a flat batch lists them; the series form groups them by meter and dimensions.
    const samples = (environmentId: string): Sample[] =>
      [0, 10, 20].flatMap((step) => {
        const at = { start: new Date(hour + step * 1000).toISOString(), seconds: 10 };
        return [
          sample(environmentId, { ...at, value: `${step}.5` }),
          sample(environmentId, { ...at, meter: "memory", value: String(1000 + step) }),
          sample(environmentId, {
            ...at,
            meter: "data_throughput",
            value: "7",
            dimensions: { direction: step ? "sent" : "received", channel: "network" },
          }),
        ];
      });
    const rollups = async (tenantId: string) => {
      const range = { db: t.db, tenantId, from: new Date(hour - 86_400_000), to: now };
      return [
        ...(await getUsage({ ...range, bucket: "hour", limit: 100 })),
        ...(await getUsage({ ...range, bucket: "day", limit: 100 })),
      ].map(({ tenantId: _tenant, environmentId: _environment, ...figures }) => figures);
    };

    const old = await aMeteredTenant(t.db);
    const flat: FlatBatch = { sequence: 1, collectorVersion: "0.1.0", samples: samples(old.environment.id) };
    // As ingest does: the flat body is stored as sent, the batch goes on in the series form.
    const sendFlat = () =>
      acceptBatch({
        db: t.db,
        hostId: old.host.id,
        batch: batchOfFlat(flat),
        body: storedBatchBody(flat),
        now,
      });
    const accepted = await sendFlat();
    expect(accepted.status).toBe("accepted");
    expect(await sendFlat()).toEqual({ ...accepted, status: "duplicate" });
    await aggregateBatches({ db: t.db, batches: [accepted] });

    const current = await aMeteredTenant(t.db);
    const series = batch(1, samples(current.environment.id));
    await aggregateBatches({
      db: t.db,
      batches: [await acceptBatch({ db: t.db, hostId: current.host.id, batch: series, now })],
    });

    const folded = await rollups(old.tenant.id);
    expect(folded).toHaveLength(2 * 4);
    expect(folded).toEqual(await rollups(current.tenant.id));
  });

  it("keep every tenant's rollups apart", async () => {
    const a = await aMeteredTenant(t.db);
    const b = await aMeteredTenant(t.db);
    for (const { host, environment } of [a, b]) {
      const accepted = await acceptBatch({
        db: t.db,
        hostId: host.id,
        batch: batch(7, [sample(environment.id)]),
        now,
      });
      await aggregateBatches({ db: t.db, batches: [accepted] });
    }
    const rows = await getUsage({
      db: t.db,
      tenantId: a.tenant.id,
      from: new Date(hour),
      to: now,
      bucket: "hour",
      limit: 100,
    });
    expect(new Set(rows.map((r) => r.tenantId))).toEqual(new Set([a.tenant.id]));
  });
});
