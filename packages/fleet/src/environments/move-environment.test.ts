import { systemActor } from "@meterplane/db";
import { aHost, anEnvironment, aTenant, useTestDatabase } from "@meterplane/testing";
import { describe, expect, it } from "vitest";
import { getCollectorConfig } from "../collector/get-collector-config.ts";
import { environmentHostHistory } from "./environment-host-history.ts";
import { commonTick, moveEnvironment } from "./move-environment.ts";
import { recordEnvironmentHandover } from "./record-environment-handover.ts";
import { removeEnvironment } from "./remove-environment.ts";

const t = useTestDatabase();
const actor = systemActor;

async function anEnvironmentOnTwoHosts() {
  const tenant = await aTenant(t.db);
  const { host: a } = await aHost(t.db);
  const { host: b } = await aHost(t.db);
  const environment = await anEnvironment(t.db, { tenantId: tenant.id, hostId: a.id });
  const move = (overrides: { toHostId?: string; now?: Date } = {}) =>
    moveEnvironment({
      db: t.db,
      actor,
      tenantId: tenant.id,
      environmentId: environment.id,
      toHostId: b.id,
      ...overrides,
    });
  return { tenant, a, b, environment, move };
}

const handoverAt = (environmentId: string, at: Date) => ({
  environmentId,
  at: at.toISOString(),
  bootId: "boot-1",
  counters: { "cpu/": { value: "123456", source: "cgroup:42" } },
  totals: {},
});

describe("commonTick", () => {
  it("is the first instant that is a tick of every interval, an hour boundary at the latest", () => {
    const hour = 1_800_000 * 3600;
    expect(commonTick(hour + 61, [10, 15])).toBe(hour + 90);
    expect(commonTick(hour + 90, [10, 15])).toBe(hour + 90);
    expect(commonTick(hour + 3590, [7, 11])).toBe(hour + 3600);
  });
});

describe("moveEnvironment", () => {
  it("splits the environment's time between the hosts at a shared tick both learn of first, with an audit row", async () => {
    const { tenant, a, b, environment, move } = await anEnvironmentOnTwoHosts();
    const now = new Date();
    const { at } = await move({ now });
    // Two refreshes of 30 s and a margin, on a tick of the default 10 s interval.
    expect(at.getTime()).toBeGreaterThanOrEqual(now.getTime() + 65_000);
    expect(at.getTime()).toBeLessThan(now.getTime() + 76_000);
    expect((at.getTime() / 1000) % 10).toBe(0);
    const history = await environmentHostHistory({
      db: t.db,
      tenantId: tenant.id,
      environmentId: environment.id,
    });
    expect(history.map(({ hostId, from, to }) => ({ hostId, from, to }))).toEqual([
      { hostId: a.id, from: null, to: at },
      { hostId: b.id, from: at, to: null },
    ]);
    const moved = await t.db.prisma.environment.findFirstOrThrow({ where: { id: environment.id } });
    expect(moved.hostId).toBe(b.id);
    const audit = await t.db.prisma.auditLog.findFirstOrThrow({
      where: { action: "environment.move", entityId: environment.id },
    });
    expect(audit.after).toEqual({ hostId: b.id, at: at.toISOString() });
  });

  it("tells the old host when to stop and the new one when to start, then passes the hand-over on", async () => {
    const { a, b, environment, move } = await anEnvironmentOnTwoHosts();
    const { at } = await move();
    const entry = async (hostId: string) =>
      (await getCollectorConfig({ db: t.db, hostId })).config.environments.find(
        (e) => e.id === environment.id,
      );
    expect(await entry(a.id)).toMatchObject({ until: at.toISOString() });
    expect((await entry(a.id))?.from).toBeUndefined();
    expect(await entry(b.id)).toMatchObject({ from: at.toISOString(), handover: null });
    expect((await entry(b.id))?.until).toBeUndefined();

    await expect(
      recordEnvironmentHandover({ db: t.db, hostId: b.id, handover: handoverAt(environment.id, at) }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    const handover = handoverAt(environment.id, at);
    await expect(recordEnvironmentHandover({ db: t.db, hostId: a.id, handover })).resolves.toEqual({
      recorded: true,
    });
    // A retry after a lost answer changes nothing.
    await expect(
      recordEnvironmentHandover({ db: t.db, hostId: a.id, handover: { ...handover, bootId: "other" } }),
    ).resolves.toEqual({ recorded: false });
    expect(await entry(a.id)).toBeUndefined();
    expect(await entry(b.id)).toMatchObject({ from: at.toISOString(), handover });
  });

  it("refuses a move to the same host, to a removed host, of a removed environment, or while one is scheduled", async () => {
    const { tenant, a, environment, move } = await anEnvironmentOnTwoHosts();
    await expect(move({ toHostId: a.id })).rejects.toMatchObject({ code: "CONFLICT" });
    const { host: gone } = await aHost(t.db);
    await t.db.prisma.host.update({ where: { id: gone.id }, data: { removedAt: new Date() } });
    await expect(move({ toHostId: gone.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await move();
    await expect(move({ toHostId: a.id })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/already scheduled/),
    });
    await removeEnvironment({ db: t.db, actor, tenantId: tenant.id, environmentId: environment.id });
    await expect(move({ toHostId: a.id, now: new Date(Date.now() + 3600_000) })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("refuses a host whose collector cannot hand over, and a selector the new host already meters", async () => {
    const { tenant, b, environment, move } = await anEnvironmentOnTwoHosts();
    await t.db.prisma.host.update({ where: { id: b.id }, data: { collectorVersion: "0.2.0" } });
    await expect(move()).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/0\.2\.0/),
    });
    await t.db.prisma.host.update({ where: { id: b.id }, data: { collectorVersion: "0.3.0" } });
    await anEnvironment(t.db, { tenantId: tenant.id, hostId: b.id, selector: environment.selector });
    await expect(move()).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/billed twice/),
    });
  });
});
