import { randomUUID } from "node:crypto";
import { aMeteredTenant, useTestDatabase } from "@meterplane/testing";
import { describe, expect, it } from "vitest";
import { simulatedBatches } from "../test/simulated-collector.ts";
import { acceptBatch, loadHostEnvironments } from "./accept-batch.ts";

const t = useTestDatabase();

/** A host's collector, and a way to send it a batch the way a web process does (environments cached). */
async function aCollector() {
  const { host, environment } = await aMeteredTenant(t.db);
  const environments = await loadHostEnvironments(t.db, host.id);
  const anHourAgo = new Date(Date.now() - 3600_000);
  const send = (sequence: number, { from = anHourAgo, hostId = host.id } = {}) => {
    const [batch] = simulatedBatches({
      environmentIds: [environment.id],
      batches: 1,
      stepsPerBatch: 5,
      from,
      firstSequence: sequence,
    });
    return acceptBatch({ db: t.db, hostId, batch: batch!, environments });
  };
  return { host, send };
}

async function storedSequences(hostId: string): Promise<number[]> {
  const { rows } = await t.db.pool.query<{ sequence: string }>(
    `SELECT k.sequence FROM "BatchKey" k JOIN "SampleBatch" b ON b.id = k."batchId" AND b."receivedAt" = k."receivedAt"
      WHERE k."hostId" = $1 ORDER BY k.sequence`,
    [hostId],
  );
  return rows.map((row) => Number(row.sequence));
}

describe("insertBatch", () => {
  it("acknowledge each of many concurrent batches once, stored, sharing a few statements", async () => {
    const collectors = await Promise.all([aCollector(), aCollector(), aCollector()]);
    const sent = collectors.flatMap((collector) =>
      Array.from({ length: 30 }, (_, i) => ({ collector, sequence: i + 1 })),
    );
    const acks = await Promise.all(sent.map(({ collector, sequence }) => collector.send(sequence)));

    expect(acks.every((ack) => ack.status === "accepted")).toBe(true);
    expect(new Set(acks.map((ack) => ack.batchId)).size).toBe(sent.length);
    for (const { host } of collectors)
      expect(await storedSequences(host.id)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    // One statement's rows share its transaction's now(): the first batch went alone, the other 89 waited
    // for it and went in statements of at most 64.
    expect(new Set(acks.map((ack) => ack.receivedAt.getTime())).size).toBeLessThanOrEqual(3);
  });

  it("store the first batch of a sequence sent twice in one group, and resolve the others as its replays", async () => {
    const { host, send } = await aCollector();
    const stored = await send(1);
    const otherSamples = new Date(Date.now() - 7200_000);
    // The first goes alone; the rest wait for it and go in one statement.
    const [first, ...group] = await Promise.allSettled([
      send(9),
      send(2),
      send(2),
      send(2, { from: otherSamples }),
      send(1),
      send(3),
    ]);
    const [accepted, replay, reused, earlierReplay, next] = group;

    expect(first).toMatchObject({ status: "fulfilled", value: { status: "accepted" } });
    expect(accepted).toMatchObject({ status: "fulfilled", value: { status: "accepted" } });
    const { batchId, receivedAt } = (
      accepted as PromiseFulfilledResult<{ batchId: string; receivedAt: Date }>
    ).value;
    expect(replay).toEqual({ status: "fulfilled", value: { batchId, receivedAt, status: "duplicate" } });
    expect(reused).toMatchObject({ status: "rejected", reason: { code: "SEQUENCE_REUSED" } });
    expect(earlierReplay).toEqual({ status: "fulfilled", value: { ...stored, status: "duplicate" } });
    expect(next).toMatchObject({ status: "fulfilled", value: { status: "accepted", receivedAt } });
    expect(await storedSequences(host.id)).toEqual([1, 2, 3, 9]);
  });

  it("reject every batch of a failing statement and store none of them", async () => {
    const { host, send } = await aCollector();
    const [first, ...group] = await Promise.allSettled([
      send(1),
      send(2),
      // No such host: its key breaks the foreign key, and with it the whole statement.
      send(1, { hostId: randomUUID() }),
      send(3),
    ]);
    expect(first).toMatchObject({ status: "fulfilled", value: { status: "accepted" } });
    expect(group.map((result) => result.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(group[0]).toMatchObject({ reason: { code: "23503" } });
    expect(await storedSequences(host.id)).toEqual([1]);

    // Nothing of them was kept: sent again, they are stored as new.
    const again = await Promise.all([send(2), send(3)]);
    expect(again.map((ack) => ack.status)).toEqual(["accepted", "accepted"]);
    expect(await storedSequences(host.id)).toEqual([1, 2, 3]);
  });

  it("create a missing day partition, and store every batch that waited on it", async () => {
    const { host, send } = await aCollector();
    const { batchId } = await send(1);
    const { rows } = await t.db.pool.query<{ partition: string }>(
      `SELECT tableoid::regclass::text AS partition FROM "SampleBatch" WHERE id = $1`,
      [batchId],
    );
    await t.db.pool.query(`DROP TABLE ${rows[0]!.partition}`);

    const acks = await Promise.all([send(2), send(3), send(4)]);
    expect(acks.map((ack) => ack.status)).toEqual(["accepted", "accepted", "accepted"]);
    expect(await storedSequences(host.id)).toEqual([2, 3, 4]);
  });
});
