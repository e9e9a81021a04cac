import { gzipSync } from "node:zlib";
import { systemActor as actor, ensureSamplePartitions } from "@meterplane/db";
import { aHost, anEnvironment, aTenant, useTestDatabase } from "@meterplane/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { updateEnvironment } from "./update-environment.ts";

const t = useTestDatabase();
beforeAll(() => ensureSamplePartitions(t.db.pool));

async function anEnvironmentOfA() {
  const a = await aTenant(t.db);
  const b = await aTenant(t.db);
  const { host } = await aHost(t.db);
  const environment = await anEnvironment(t.db, { tenantId: a.id, hostId: host.id });
  return { a, b, host, environment };
}

/** A raw batch as ingest stores it, before the worker has aggregated it (no rollup yet). */
async function aStoredBatch(hostId: string, tenantId: string, environmentId: string) {
  const body = gzipSync(
    JSON.stringify({ sequence: 1, collectorVersion: "0.2.0", series: [{ environmentId }] }),
  );
  await t.db.pool.query(
    `INSERT INTO "SampleBatch" ("hostId", sequence, "sampleCount", "tenantIds", body) VALUES ($1, 1, 1, $2, $3)`,
    [hostId, [tenantId], body],
  );
}

const move = (tenantId: string, environmentId: string, to: string) =>
  updateEnvironment({ db: t.db, actor, tenantId, environmentId, changes: { tenantId: to } });

describe("moving an environment to another tenant", () => {
  it("is refused while a raw batch of it is stored but not yet aggregated, and nothing changes", async () => {
    const { a, b, host, environment } = await anEnvironmentOfA();
    await aStoredBatch(host.id, a.id, environment.id);
    await expect(move(a.id, environment.id, b.id)).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("add a new one"),
    });
    const after = await t.db.prisma.environment.findFirstOrThrow({ where: { id: environment.id } });
    expect(after.tenantId).toBe(a.id);
  });

  it("is refused once it has rollups", async () => {
    const { a, b, environment } = await anEnvironmentOfA();
    await t.db.prisma.usageHourly.create({
      data: {
        tenantId: a.id,
        environmentId: environment.id,
        meter: "cpu",
        bucketStart: new Date("2026-12-01T00:00:00Z"),
        sum: "1",
        count: 1,
        min: "1",
        max: "1",
        last: "1",
        lastAt: new Date("2026-12-01T00:00:10Z"),
        integral: "10",
        seconds: 10,
      },
    });
    await expect(move(a.id, environment.id, b.id)).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("is allowed before the environment has any usage", async () => {
    const { a, b, environment } = await anEnvironmentOfA();
    const moved = await move(a.id, environment.id, b.id);
    expect(moved.tenantId).toBe(b.id);
  });
});
