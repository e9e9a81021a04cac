import { useTestDatabase } from "@meterplane/testing";
import { storedBatchBody } from "@meterplane/wire";
import { describe, expect, it } from "vitest";
import { dropExpiredSamples } from "./drop-expired-samples.ts";

const t = useTestDatabase();
const dayMs = 86_400_000;

async function partitions(): Promise<string[]> {
  const { rows } = await t.db.pool.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'SampleBatch' ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

const nameOf = (at: Date) => `SampleBatch_${at.toISOString().slice(0, 10).replaceAll("-", "")}`;

describe("retention of raw samples", () => {
  it("drop whole days past the retention period, keep rollups' sources that are not yet aggregated", async () => {
    const now = new Date();
    const old = new Date(now.getTime() - 38 * dayMs);
    const { rows } = await t.db.pool.query<{ id: string }>(
      `INSERT INTO "SampleBatch" ("receivedAt", "hostId", sequence, "sampleCount", "tenantIds", body)
       VALUES ($1, gen_random_uuid(), 1, 0, '{}', $2) RETURNING id`,
      [old, storedBatchBody({ sequence: 1, collectorVersion: "0.2.0", series: [] })],
    );
    const first = await dropExpiredSamples({ db: t.db, now });
    expect(first.kept).toEqual([nameOf(old)]);
    expect(first.dropped.length).toBeGreaterThan(0);
    expect(first.dropped.every((name) => name < nameOf(new Date(now.getTime() - 35 * dayMs)))).toBe(true);
    expect(await partitions()).toContain(nameOf(new Date(now.getTime() - 34 * dayMs)));

    await t.db.pool.query(`UPDATE "SampleBatch" SET "aggregatedAt" = now() WHERE id = $1`, [rows[0]!.id]);
    expect((await dropExpiredSamples({ db: t.db, now })).dropped).toEqual([nameOf(old)]);
    expect(await partitions()).not.toContain(nameOf(old));
  });

  it("refuse a retention shorter than the late-data window", async () => {
    await expect(dropExpiredSamples({ db: t.db, retentionDays: 3 })).rejects.toThrow(/late-data window/);
  });
});
