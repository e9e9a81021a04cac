import { aMeteredTenant, useTestDatabase } from "@meterplane/testing";
import { describe, expect, it } from "vitest";
import { listSilentSources } from "../dashboard/list-silent-sources.ts";
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
  const { host, environment } = await aMeteredTenant(t.db);
  await t.db.prisma.host.update({
    where: { id: host.id },
    data: { lastSeenAt: hostSeenAgo === null ? null : ago(hostSeenAgo) },
  });
  await t.db.pool.query(`UPDATE "Environment" SET "createdAt" = $1 WHERE id = $2`, [
    ago(createdAgo),
    environment.id,
  ]);
  // As aggregation records it (packages/usage aggregate-batches.ts; its test checks it does).
  await t.db.pool.query(`UPDATE "Environment" SET "lastSampleAt" = $1 WHERE id = $2`, [
    sampledAgo === null ? null : ago(sampledAgo),
    environment.id,
  ]);
  const reporting = await environmentReporting({ db: t.db, environmentIds: [environment.id], at: now });
  const silent = await listSilentSources({ db: t.db, hostCutoff: ago(120), at: now, limit: 1000 });
  return {
    ...reporting.get(environment.id),
    onDashboard: silent.environments.find((e) => e.id === environment.id),
  };
}

// The default interval is 10 s: silent for 4 intervals (the last sample's own, then three) plus 30 s of grace.
// The dashboard lists exactly the environments the pages call "not reporting", with the same reason, except
// those whose host is silent too (listed as the host).
describe("whether an environment reports", () => {
  it("reports while samples keep coming", async () => {
    await expect(anEnvironmentThat({ hostSeenAgo: 5, sampledAgo: 70 })).resolves.toMatchObject({
      state: "reporting",
      onDashboard: undefined,
    });
  });

  it("is not reporting after three intervals without a sample, though its collector runs", async () => {
    const reason =
      "the collector runs but does not find this process tree: it is not running, or the selector matches nothing on the host";
    await expect(anEnvironmentThat({ hostSeenAgo: 5, sampledAgo: 71 })).resolves.toMatchObject({
      state: "not_reporting",
      reason,
      onDashboard: { reason, lastSampleAt: ago(71) },
    });
  });

  it("is judged by its host's own interval", async () => {
    const { environment, host } = await aMeteredTenant(t.db);
    const policy = await t.db.prisma.clientPolicy.create({
      data: { name: `slow-${host.id}`, intervalSeconds: 60, meters: [] },
    });
    await t.db.prisma.host.update({
      where: { id: host.id },
      data: { policyId: policy.id, lastSeenAt: ago(5) },
    });
    await t.db.pool.query(`UPDATE "Environment" SET "lastSampleAt" = $1 WHERE id = $2`, [
      ago(200),
      environment.id,
    ]);
    const reporting = await environmentReporting({ db: t.db, environmentIds: [environment.id], at: now });
    expect(reporting.get(environment.id)?.state).toBe("reporting");
    const later = new Date(now.getTime() + 71_000); // 271 s: over 4 × 60 + 30
    const silent = await listSilentSources({ db: t.db, hostCutoff: ago(120), at: later, limit: 1000 });
    expect(silent.environments.map((e) => e.id)).toContain(environment.id);
    const after = await environmentReporting({ db: t.db, environmentIds: [environment.id], at: later });
    expect(after.get(environment.id)?.state).toBe("not_reporting");
  });

  it("says when the collector itself stopped", async () => {
    await expect(anEnvironmentThat({ hostSeenAgo: 600, sampledAgo: 600 })).resolves.toMatchObject({
      state: "not_reporting",
      reason: "the collector stopped: the host last reported 2026-12-05 11:50 UTC",
      onDashboard: undefined,
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
      onDashboard: undefined,
    });
  });
});
