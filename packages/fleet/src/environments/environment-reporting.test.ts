import { aMeteredTenant, useTestDatabase } from "@meterplane/testing";
import { describe, expect, it } from "vitest";
import { environmentReporting } from "./environment-reporting.ts";

const t = useTestDatabase();
const now = new Date("2026-12-05T12:00:00Z");
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

/** An environment created `createdAgo` s ago on a host last seen `hostSeenAgo` s ago, last sampled `sampledAgo` s ago. */
async function anEnvironmentThat({
  createdAgo = 3600,
  hostSeenAgo,
  sampledAgo,
}: {
  createdAgo?: number;
  hostSeenAgo: number | null;
  sampledAgo: number | null;
}) {
  const { tenant, host, environment } = await aMeteredTenant(t.db);
  await t.db.prisma.host.update({
    where: { id: host.id },
    data: { lastSeenAt: hostSeenAgo === null ? null : ago(hostSeenAgo) },
  });
  await t.db.pool.query(`UPDATE "Environment" SET "createdAt" = $1 WHERE id = $2`, [
    ago(createdAgo),
    environment.id,
  ]);
  if (sampledAgo !== null)
    await t.db.pool.query(
      `INSERT INTO "UsageHourly" ("tenantId", "environmentId", meter, "dimensionKey", "bucketStart", dimensions,
                                  sum, count, min, max, last, "lastAt", integral, seconds)
       VALUES ($1, $2, 'cpu', '', date_trunc('hour', $3::timestamptz), '{}', 1, 1, 1, 1, 1, $3, 0, 10)`,
      [tenant.id, environment.id, ago(sampledAgo)],
    );
  const reporting = await environmentReporting({ db: t.db, environmentIds: [environment.id], at: now });
  return reporting.get(environment.id);
}

// The default interval is 10 s: silent for 4 intervals (the last sample's own, then three) plus 30 s of grace.
describe("whether an environment reports", () => {
  it("reports while samples keep coming", async () => {
    await expect(anEnvironmentThat({ hostSeenAgo: 5, sampledAgo: 60 })).resolves.toMatchObject({
      state: "reporting",
    });
  });

  it("is not reporting after three intervals without a sample, though its collector runs", async () => {
    await expect(anEnvironmentThat({ hostSeenAgo: 5, sampledAgo: 71 })).resolves.toMatchObject({
      state: "not_reporting",
      reason:
        "the collector runs but does not find this process tree: it is not running, or the selector matches nothing on the host",
    });
  });

  it("says when the collector itself stopped", async () => {
    await expect(anEnvironmentThat({ hostSeenAgo: 600, sampledAgo: 600 })).resolves.toMatchObject({
      state: "not_reporting",
      reason: "the collector stopped: the host last reported 2026-12-05 11:50 UTC",
    });
    await expect(anEnvironmentThat({ hostSeenAgo: null, sampledAgo: null })).resolves.toMatchObject({
      state: "not_reporting",
      reason: "the host's collector has never reported: enroll it with the command on the host page",
    });
  });

  it("waits for the first sample of an environment added just now", async () => {
    await expect(
      anEnvironmentThat({ createdAgo: 20, hostSeenAgo: 5, sampledAgo: null }),
    ).resolves.toMatchObject({
      state: "waiting",
    });
  });
});
