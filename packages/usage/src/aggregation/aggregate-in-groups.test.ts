import { randomUUID } from "node:crypto";
import { aMeteredTenant, useTestDatabase } from "@meterplane/testing";
import { type Sample, seriesOfSamples } from "@meterplane/wire";
import { describe, expect, it } from "vitest";
import { acceptBatch } from "../ingest/accept-batch.ts";
import { findFleetRollupDrift } from "../monitoring/find-fleet-rollup-drift.ts";
import { findRollupDrift } from "../monitoring/find-rollup-drift.ts";
import { getPipelineBacklog } from "../monitoring/get-pipeline-backlog.ts";
import type { BatchRef } from "./aggregate-batches.ts";
import { createAggregationGroups, createHostLanes, laneOf } from "./aggregate-in-groups.ts";

const t = useTestDatabase();
const hourMs = 3600_000;
// Half past an hour, so the 1 s shift of the late batches never carries a sample across an hour boundary.
const base = Math.floor(Date.now() / hourMs) * hourMs - 2.5 * hourMs;

function shuffled<T>(items: T[]): T[] {
  return items
    .map((item) => ({ item, key: Math.random() }))
    .sort((a, b) => a.key - b.key)
    .map(({ item }) => item);
}

async function noDrift() {
  expect(await findRollupDrift({ db: t.db, granularity: "hour" })).toEqual([]);
  expect(await findRollupDrift({ db: t.db, granularity: "day" })).toEqual([]);
  expect(await findFleetRollupDrift({ db: t.db })).toEqual([]);
}

type Metered = Awaited<ReturnType<typeof aMeteredTenant>>;

/** Batches of one host whose samples walk back in time, so later batches land in earlier buckets. */
async function storeBatches(
  count: number,
  {
    metered,
    firstSequence = 1,
    shiftMs = 0,
  }: { metered?: Metered; firstSequence?: number; shiftMs?: number } = {},
): Promise<BatchRef[]> {
  const { host, environment } = metered ?? (await aMeteredTenant(t.db));
  const refs: BatchRef[] = [];
  for (let i = 0; i < count; i++) {
    const at = base - i * 997_000 - shiftMs;
    const samples: Sample[] = [
      {
        environmentId: environment.id,
        meter: "cpu",
        start: new Date(at).toISOString(),
        seconds: 10,
        value: `${i}.25`,
      },
      {
        environmentId: environment.id,
        meter: "memory",
        start: new Date(at).toISOString(),
        seconds: 10,
        value: `${1000 + i}`,
      },
      {
        environmentId: environment.id,
        meter: "data_throughput",
        start: new Date(at).toISOString(),
        seconds: 10,
        value: "0.000000000001",
        dimensions: { channel: "network", direction: "sent" },
      },
    ];
    refs.push(
      await acceptBatch({
        db: t.db,
        hostId: host.id,
        batch: { sequence: firstSequence + i, collectorVersion: "0.2.0", series: seriesOfSamples(samples) },
      }),
    );
  }
  return refs;
}

describe("aggregation in groups", () => {
  it("count every batch once when several workers race over the same batches in different orders", async () => {
    const refs = (await Promise.all([storeBatches(40), storeBatches(40), storeBatches(40)])).flat();
    const groupSizes: number[] = [];
    const workers = Array.from({ length: 4 }, () =>
      createAggregationGroups({
        db: t.db,
        maxBatches: 25,
        parallel: 2,
        onGroup: (r) => groupSizes.push(r.groupSize),
      }),
    );
    await Promise.all(
      workers.flatMap((groups) => shuffled([...refs, ...refs]).map((ref) => groups.add(ref))),
    );
    expect(Math.max(...groupSizes)).toBeGreaterThan(1);
    expect(await getPipelineBacklog({ db: t.db })).toEqual({ batches: 0, lagSeconds: 0 });
    await noDrift();
  });

  it("give each host a lane of its own and count every batch once across lanes", async () => {
    const hosts = await Promise.all(Array.from({ length: 4 }, () => aMeteredTenant(t.db)));
    const refs = (await Promise.all(hosts.map((metered) => storeBatches(10, { metered })))).flatMap(
      (batches, h) => batches.map((ref) => ({ ...ref, hostId: hosts[h]!.host.id })),
    );
    // Each batch twice, in any order: a replayed job must find its batch aggregated by its own lane.
    const lanes = createHostLanes({ db: t.db, lanes: 2, maxBatches: 5 });
    await Promise.all(shuffled([...refs, ...refs]).map((ref) => lanes.add(ref)));
    expect(await getPipelineBacklog({ db: t.db })).toEqual({ batches: 0, lagSeconds: 0 });
    await noDrift();
  });

  it("spread hosts over lanes and keep a host in its lane", () => {
    const ids = Array.from({ length: 200 }, () => randomUUID());
    const lanes = ids.map((id) => laneOf(id, 2));
    expect(ids.map((id) => laneOf(id, 2))).toEqual(lanes);
    const first = lanes.filter((lane) => lane === 0).length;
    expect(first).toBeGreaterThan(60);
    expect(first).toBeLessThan(140);
  });

  it("fold late samples into buckets that were already aggregated", async () => {
    const metered = await aMeteredTenant(t.db);
    const early = await storeBatches(5, { metered });
    const groups = createAggregationGroups({ db: t.db });
    await Promise.all(early.map((ref) => groups.add(ref)));
    const { rows: before } = await t.db.pool.query(`SELECT count(*)::int AS n FROM "UsageHourly"`);
    const late = await storeBatches(5, { metered, firstSequence: 6, shiftMs: 1000 });
    expect((await getPipelineBacklog({ db: t.db })).batches).toBe(5);
    await Promise.all(late.map((ref) => groups.add(ref)));
    const { rows: after } = await t.db.pool.query(`SELECT count(*)::int AS n FROM "UsageHourly"`);
    expect(after).toEqual(before);
    await noDrift();
  });

  it("wait for a window once groups take long, so batches of a fleet's next ticks fold into one group", async () => {
    const metered = await aMeteredTenant(t.db);
    const refs = await storeBatches(7, { metered });
    const starts: number[] = [];
    const sizes: number[] = [];
    // Every real group counts as long here, so the next one waits for the 1.5 s window.
    const groups = createAggregationGroups({
      db: t.db,
      busyGroupMs: 0,
      foldWindowMs: 1500,
      onGroup: (r) => {
        starts.push(performance.now() - r.seconds * 1000);
        sizes.push(r.groupSize);
      },
    });
    await groups.add(refs[0]!);
    // Six ticks of one batch each, 100 ms apart: each would be a group of its own in a light pipeline.
    const later: Promise<void>[] = [];
    for (const ref of refs.slice(1)) {
      later.push(groups.add(ref));
      await new Promise((r) => setTimeout(r, 100));
    }
    await Promise.all(later);
    expect(sizes).toEqual([1, 6]);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(1400);
    await noDrift();
  });

  it("tell when the oldest batch in hand was stored, while it waits for its group and while that runs", async () => {
    const refs = await storeBatches(3);
    const stored = refs.map((ref) => new Date(ref.receivedAt).getTime());
    const groups = createAggregationGroups({ db: t.db, busyGroupMs: 0, foldWindowMs: 1000 });
    expect(groups.oldestWaiting()).toBeUndefined();
    const first = groups.add(refs[0]!);
    // The first group is running: its batch is in hand.
    expect(groups.oldestWaiting()).toBe(stored[0]);
    await first;
    // The next two wait for the window.
    const rest = Promise.all(refs.slice(1).map((ref) => groups.add(ref)));
    expect(groups.oldestWaiting()).toBe(Math.min(stored[1]!, stored[2]!));
    await rest;
    expect(groups.oldestWaiting()).toBeUndefined();
  });

  it("start busy lanes' windows a share of the window apart, so one lane folds while the other writes", async () => {
    // Two hosts in different lanes.
    const first = await aMeteredTenant(t.db);
    let second = await aMeteredTenant(t.db);
    while (laneOf(second.host.id, 2) === laneOf(first.host.id, 2)) second = await aMeteredTenant(t.db);
    const [a, b] = await Promise.all(
      [first, second].map(async (metered) =>
        (await storeBatches(2, { metered })).map((ref) => ({ ...ref, hostId: metered.host.id })),
      ),
    );
    const starts: number[] = [];
    // Every real group counts as long here, so each lane's next one waits for the 2 s window.
    const lanes = createHostLanes({
      db: t.db,
      lanes: 2,
      busyGroupMs: 0,
      foldWindowMs: 2000,
      onGroup: (r) => starts.push(performance.now() - r.seconds * 1000),
    });
    await Promise.all([lanes.add(a![0]!), lanes.add(b![0]!)]);
    // Both lanes are busy now and each has its next batch at the same moment.
    await Promise.all([lanes.add(a![1]!), lanes.add(b![1]!)]);
    expect(starts).toHaveLength(4);
    const [, , third, fourth] = starts as [number, number, number, number];
    expect(fourth - third).toBeGreaterThanOrEqual(900);
    await noDrift();
  });

  it("start the next group of lanes that turned busy together within one window, each on its own slot", async () => {
    const lanes = 4;
    const byLane = new Map<number, Awaited<ReturnType<typeof aMeteredTenant>>>();
    while (byLane.size < lanes) {
      const metered = await aMeteredTenant(t.db);
      byLane.set(laneOf(metered.host.id, lanes), metered);
    }
    const refs = await Promise.all(
      [...byLane.values()].map(async (metered) =>
        (await storeBatches(2, { metered })).map((ref) => ({ ...ref, hostId: metered.host.id })),
      ),
    );
    const starts: number[] = [];
    const groups = createHostLanes({
      db: t.db,
      lanes,
      busyGroupMs: 0,
      foldWindowMs: 2000,
      onGroup: (r) => starts.push(performance.now() - r.seconds * 1000),
    });
    await Promise.all(refs.map((host) => groups.add(host[0]!)));
    // Every lane is busy now, and every lane has its next batch at the same moment.
    await Promise.all(refs.map((host) => groups.add(host[1]!)));
    expect(starts).toHaveLength(2 * lanes);
    const firstRound = Math.min(...starts.slice(0, lanes));
    const secondRound = starts.slice(lanes).sort((a, b) => a - b);
    // Within a window of the first round (taking turns after one another, the last lane waited 3.5 s)...
    expect(secondRound.at(-1)! - firstRound).toBeLessThan(2000 + 400);
    // ...and still a share of the window apart.
    for (let i = 1; i < lanes; i++) expect(secondRound[i]! - secondRound[i - 1]!).toBeGreaterThanOrEqual(400);
    await noDrift();
  });

  it("fail only the batch that cannot be aggregated, not the rest of its group", async () => {
    const good = await storeBatches(3);
    const { rows } = await t.db.pool.query<{ id: string; receivedAt: Date }>(
      `INSERT INTO "SampleBatch" ("hostId", sequence, "sampleCount", "tenantIds", body)
       VALUES (gen_random_uuid(), 1, 1, '{}', convert_to('{"samples": [{"start": "not a time"}]}', 'UTF8'))
       RETURNING id, "receivedAt"`,
    );
    const poison = { batchId: rows[0]!.id, receivedAt: rows[0]!.receivedAt };
    const groups = createAggregationGroups({ db: t.db, parallel: 1 });
    const blocker = groups.add(good[0]!);
    const outcomes = await Promise.allSettled([
      blocker,
      ...[good[1]!, poison, good[2]!].map((r) => groups.add(r)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    await t.db.pool.query(`DELETE FROM "SampleBatch" WHERE id = $1`, [poison.batchId]);
    await noDrift();
  });
});
