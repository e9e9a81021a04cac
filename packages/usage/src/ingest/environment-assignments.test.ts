import { aHost, anEnvironment, aTenant, useTestDatabase } from "@meterplane/testing";
import { batchOfFlat } from "@meterplane/wire";
import { describe, expect, it } from "vitest";
import { acceptBatch } from "./accept-batch.ts";

const t = useTestDatabase();

/** An environment that moved from host A to host B at `at` (an hour ago, on a tick). */
async function aMovedEnvironment() {
  const tenant = await aTenant(t.db);
  const { host: a } = await aHost(t.db);
  const { host: b } = await aHost(t.db);
  const environment = await anEnvironment(t.db, { tenantId: tenant.id, hostId: b.id });
  const at = new Date(Math.floor(Date.now() / 3600_000) * 3600_000 - 3600_000);
  await t.db.prisma.environmentAssignment.createMany({
    data: [
      { tenantId: tenant.id, environmentId: environment.id, hostId: a.id, validFrom: null, validTo: at },
      { tenantId: tenant.id, environmentId: environment.id, hostId: b.id, validFrom: at, validTo: null },
    ],
  });
  const sample = (environmentId: string, startOffsetSeconds: number, seconds = 10) => ({
    environmentId,
    meter: "cpu" as const,
    start: new Date(at.getTime() + startOffsetSeconds * 1000).toISOString(),
    seconds,
    value: "1.5",
  });
  let sequence = 0;
  const sendBatch = (hostId: string, samples: ReturnType<typeof sample>[]) =>
    acceptBatch({
      db: t.db,
      hostId,
      batch: batchOfFlat({ sequence: ++sequence, collectorVersion: "0.3.0", samples }),
    });
  const send = (hostId: string, startOffsetSeconds: number, seconds = 10) =>
    sendBatch(hostId, [sample(environment.id, startOffsetSeconds, seconds)]);
  return { tenant, a, b, environment, at, sample, send, sendBatch };
}

describe("ingest of a moved environment", () => {
  it("accepts each host's samples inside its assignment, half-open at the move's instant", async () => {
    const { a, b, send } = await aMovedEnvironment();
    await expect(send(a.id, -10)).resolves.toMatchObject({ status: "accepted" });
    await expect(send(a.id, -3600)).resolves.toMatchObject({ status: "accepted" });
    await expect(send(b.id, 0)).resolves.toMatchObject({ status: "accepted" });
    await expect(send(b.id, 600)).resolves.toMatchObject({ status: "accepted" });
  });

  it("refuses, storing nothing, a batch of only samples that reach into the other host's time", async () => {
    const { a, b, environment, send } = await aMovedEnvironment();
    const refusal = { code: "ENVIRONMENT_NOT_ASSIGNED", details: { environmentIds: [environment.id] } };
    await expect(send(a.id, 0)).rejects.toMatchObject(refusal);
    await expect(send(a.id, -5)).rejects.toMatchObject(refusal); // straddles the instant
    await expect(send(b.id, -10)).rejects.toMatchObject(refusal);
    await expect(send(b.id, -5)).rejects.toMatchObject(refusal);
    const { rows } = await t.db.pool.query(`SELECT 1 FROM "SampleBatch" WHERE "hostId" = ANY($1::uuid[])`, [
      [a.id, b.id],
    ]);
    expect(rows).toEqual([]);
  });

  it("drops a host's samples outside its assignment from a batch, says so, and stores the rest once", async () => {
    const { tenant, a, environment, sample, sendBatch } = await aMovedEnvironment();
    const other = await anEnvironment(t.db, { tenantId: tenant.id, hostId: a.id });
    const samples = [sample(environment.id, -10), sample(environment.id, 0), sample(other.id, 0)];
    const first = await sendBatch(a.id, samples);
    expect(first).toMatchObject({
      status: "accepted",
      dropped: [{ environmentId: environment.id, samples: 1, reason: expect.stringMatching(/moved/) }],
    });
    const { rows } = await t.db.pool.query<{ sampleCount: number }>(
      `SELECT "sampleCount" FROM "SampleBatch" WHERE id = $1`,
      [first.batchId],
    );
    expect(rows).toEqual([{ sampleCount: 2 }]);
    // A replay is filtered the same way: recognised, not refused as another batch under the sequence.
    const replay = await acceptBatch({
      db: t.db,
      hostId: a.id,
      batch: batchOfFlat({ sequence: 1, collectorVersion: "0.3.0", samples }),
    });
    expect(replay).toMatchObject({ status: "duplicate", batchId: first.batchId });
  });

  it("still refuses another host's samples of it as not its environment", async () => {
    const { environment, send } = await aMovedEnvironment();
    const { host: other } = await aHost(t.db);
    await expect(send(other.id, 10)).rejects.toMatchObject({
      code: "UNKNOWN_ENVIRONMENT",
      details: { environmentIds: [environment.id] },
    });
  });
});
