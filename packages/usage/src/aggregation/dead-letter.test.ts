import { aMeteredTenant, useTestDatabase } from "@meterplane/testing";
import { type Sample, seriesOfSamples } from "@meterplane/wire";
import { describe, expect, it } from "vitest";
import { acceptBatch } from "../ingest/accept-batch.ts";
import { findRollupDrift } from "../monitoring/find-rollup-drift.ts";
import { getPipelineBacklog } from "../monitoring/get-pipeline-backlog.ts";
import { createAggregationGroups } from "./aggregate-in-groups.ts";
import { listDeadLetteredBatches, maxAggregationAttempts } from "./record-aggregation-failure.ts";

const t = useTestDatabase();
const hourStart = Math.floor(Date.now() / 3600_000) * 3600_000 - 3 * 3600_000;

/** `points` hour-long samples of the largest value ingest takes, in one series of one hour. */
function hugeBatch(environmentId: string, sequence: number, points: number) {
  const samples: Sample[] = Array.from({ length: points }, (_, i) => ({
    environmentId,
    meter: "memory",
    start: new Date(hourStart + i * 1000).toISOString(),
    seconds: 3600,
    value: "99999999999999999999",
  }));
  return { sequence, collectorVersion: "0.2.0", series: seriesOfSamples(samples) };
}

describe("a batch that cannot be aggregated", () => {
  it("is refused at ingest when it alone would overflow its rollups", async () => {
    const { host, environment } = await aMeteredTenant(t.db);
    await expect(
      acceptBatch({ db: t.db, hostId: host.id, batch: hugeBatch(environment.id, 1, 1000) }),
    ).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      message: expect.stringMatching(/rollups can hold/),
    });
  });

  it("is set aside with its reason after a bounded number of tries, while the rest is aggregated", async () => {
    const { host, environment } = await aMeteredTenant(t.db);
    // Each holds 27 × 3.6e23 = 9.72e24 as value × seconds, under ingest's bound; ten of them fit the hour's
    // rollup row (DECIMAL(38, 12) holds less than 1e26), the eleventh would overflow it.
    const batches = [];
    for (let sequence = 1; sequence <= 11; sequence++)
      batches.push(
        await acceptBatch({ db: t.db, hostId: host.id, batch: hugeBatch(environment.id, sequence, 27) }),
      );
    const overflowing = batches.pop()!;
    const deadLettered: string[] = [];
    const groups = createAggregationGroups({
      db: t.db,
      onDeadLetter: ({ batch }) => deadLettered.push(batch.batchId),
    });
    await Promise.all(batches.map((batch) => groups.add(batch)));
    // Each try fails until the batch is set aside, which ends its job.
    for (let attempt = 1; attempt < maxAggregationAttempts; attempt++)
      await expect(groups.add(overflowing)).rejects.toMatchObject({ code: "22003" });
    await groups.add(overflowing);

    expect(deadLettered).toEqual([overflowing.batchId]);
    expect(await getPipelineBacklog({ db: t.db })).toEqual({ batches: 0, lagSeconds: 0 });
    expect(await listDeadLetteredBatches({ db: t.db })).toEqual([
      expect.objectContaining({
        batchId: overflowing.batchId,
        hostName: host.name,
        sequence: "11",
        failedAttempts: maxAggregationAttempts,
        failureReason: expect.stringMatching(/numeric field overflow/),
      }),
    ]);
    expect(await findRollupDrift({ db: t.db, granularity: "hour" })).toEqual([]);
  });
});
