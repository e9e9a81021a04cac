import { aMeteredTenant, useTestDatabase } from "@meterplane/testing";
import { type Batch, storedBatchBody } from "@meterplane/wire";
import { describe, expect, it } from "vitest";
import { acceptBatch } from "../ingest/accept-batch.ts";
import { dropExpiredSamples } from "./drop-expired-samples.ts";

const t = useTestDatabase();
const dayMs = 86_400_000;
// Midday, so that an instant an hour before the cutoff is still on the cutoff's day.
const now = new Date(Math.floor(Date.now() / dayMs) * dayMs + dayMs / 2);
const daysAgo = (days: number) => new Date(now.getTime() - days * dayMs);

async function partitions(): Promise<string[]> {
  const { rows } = await t.db.pool.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'SampleBatch' ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

const nameOf = (at: Date) => `SampleBatch_${at.toISOString().slice(0, 10).replaceAll("-", "")}`;

/** A batch of `hostId` received at `receivedAt`, with its key, as ingest stores it; returns its sequence. */
async function aStoredBatch(hostId: string, sequence: number, receivedAt: Date, aggregated: boolean) {
  await t.db.pool.query(
    `WITH key AS (
       INSERT INTO "BatchKey" ("hostId", sequence, "batchId", "receivedAt")
       VALUES ($1, $2, nextval('"SampleBatch_id_seq"'), $3) RETURNING *)
     INSERT INTO "SampleBatch" (id, "receivedAt", "hostId", sequence, "sampleCount", "tenantIds", body, "aggregatedAt")
     SELECT "batchId", "receivedAt", "hostId", sequence, 0, '{}', $4, CASE WHEN $5 THEN now() END FROM key`,
    [
      hostId,
      sequence,
      receivedAt,
      storedBatchBody({ sequence, collectorVersion: "0.2.0", series: [] }),
      aggregated,
    ],
  );
  return sequence;
}

async function keptSequences(hostId: string): Promise<number[]> {
  const { rows } = await t.db.pool.query<{ sequence: string }>(
    `SELECT sequence FROM "BatchKey" WHERE "hostId" = $1 ORDER BY sequence`,
    [hostId],
  );
  return rows.map((row) => Number(row.sequence));
}

describe("retention of raw samples", () => {
  it("drop whole days past the retention period and their batches' keys, keep unaggregated batches and their keys", async () => {
    const { host } = await aMeteredTenant(t.db);
    await aStoredBatch(host.id, 1, daysAgo(39), true);
    const waiting = await aStoredBatch(host.id, 2, daysAgo(38), false);
    const afterWaiting = await aStoredBatch(host.id, 3, daysAgo(37), true);
    const onCutoffDay = await aStoredBatch(host.id, 4, new Date(daysAgo(35).getTime() - 3600_000), true);
    const recent = await aStoredBatch(host.id, 5, daysAgo(1), true);
    // Keys of batches dropped before: more than one delete statement's worth.
    await t.db.pool.query(
      `INSERT INTO "BatchKey" ("hostId", sequence, "batchId", "receivedAt")
       SELECT $1, 1000 + n, nextval('"SampleBatch_id_seq"'), $2 FROM generate_series(1, 25000) n`,
      [host.id, daysAgo(40)],
    );

    const first = await dropExpiredSamples({ db: t.db, now });
    expect(first.kept).toEqual([nameOf(daysAgo(38))]);
    expect(first.dropped).toContain(nameOf(daysAgo(39)));
    expect(first.dropped).toContain(nameOf(daysAgo(37)));
    expect(first.dropped.every((name) => name < nameOf(daysAgo(35)))).toBe(true);
    expect(await partitions()).toContain(nameOf(daysAgo(35)));
    expect(first.prunedKeys).toBe(25001);
    // The key of a dropped batch newer than a kept partition waits for that partition to go.
    expect(await keptSequences(host.id)).toEqual([waiting, afterWaiting, onCutoffDay, recent]);

    await t.db.pool.query(`UPDATE "SampleBatch" SET "aggregatedAt" = now() WHERE sequence = $1`, [waiting]);
    const second = await dropExpiredSamples({ db: t.db, now });
    expect(second).toEqual({ dropped: [nameOf(daysAgo(38))], kept: [], prunedKeys: 2 });
    expect(await partitions()).not.toContain(nameOf(daysAgo(38)));
    expect(await keptSequences(host.id)).toEqual([onCutoffDay, recent]);
  });

  it("refuse a replay of a batch whose key is pruned as older than the late-data window, not store it again", async () => {
    const { host, environment } = await aMeteredTenant(t.db);
    const received = new Date();
    // The latest its samples may start: the clock skew ahead of its receipt.
    const start = new Date(received.getTime() + 4 * 60_000).toISOString();
    const batch: Batch = {
      sequence: 1,
      collectorVersion: "0.2.0",
      series: [
        { environmentId: environment.id, meter: "cpu", starts: [start], seconds: [10], values: ["1.5"] },
      ],
    };
    expect((await acceptBatch({ db: t.db, hostId: host.id, batch, now: received })).status).toBe("accepted");
    await t.db.pool.query(`UPDATE "SampleBatch" SET "aggregatedAt" = now()`);

    // With the shortest retention allowed, the earliest instant its key is pruned.
    const later = new Date(Math.floor(received.getTime() / dayMs) * dayMs + 9 * dayMs);
    expect((await dropExpiredSamples({ db: t.db, retentionDays: 8, now: later })).prunedKeys).toBeGreaterThan(
      0,
    );
    expect(await keptSequences(host.id)).toEqual([]);

    await expect(acceptBatch({ db: t.db, hostId: host.id, batch, now: later })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      message: expect.stringMatching(/older than the late-data window/),
    });
    expect(await keptSequences(host.id)).toEqual([]);
  });

  it("refuse a retention not a day longer than the late-data window", async () => {
    await expect(dropExpiredSamples({ db: t.db, retentionDays: 7 })).rejects.toThrow(/late-data window/);
  });
});
