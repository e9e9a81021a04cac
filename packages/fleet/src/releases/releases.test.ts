import { systemActor } from "@meterplane/db";
import { aHost, useTestDatabase } from "@meterplane/testing";
import { describe, expect, it } from "vitest";
import { getCollectorConfig } from "../collector/get-collector-config.ts";
import { listHostsBehind } from "./list-hosts-behind.ts";
import { publishCollectorRelease } from "./publish-collector-release.ts";
import { setMinimumCollectorVersion } from "./set-minimum-collector-version.ts";

const t = useTestDatabase();
const actor = systemActor;

describe("forced collector upgrades", () => {
  it("refuse a minimum version that was never published", async () => {
    await expect(setMinimumCollectorVersion({ db: t.db, actor, version: "9.9.9" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("apply the stricter of the global and the group minimum, list who is behind, and audit each change", async () => {
    const { host: canary } = await aHost(t.db, { group: "canary" });
    const { host: plain } = await aHost(t.db);
    await t.db.prisma.host.update({ where: { id: canary.id }, data: { collectorVersion: "1.5.0" } });
    await t.db.prisma.host.update({ where: { id: plain.id }, data: { collectorVersion: "1.5.0" } });
    await publishCollectorRelease({ db: t.db, actor, version: "1.2.0" });
    await publishCollectorRelease({ db: t.db, actor, version: "2.0.0" });

    await setMinimumCollectorVersion({ db: t.db, actor, version: "1.2.0" });
    await setMinimumCollectorVersion({ db: t.db, actor, version: "2.0.0", group: "canary" });
    await setMinimumCollectorVersion({ db: t.db, actor, version: "1.2.0" });

    expect(await t.db.prisma.minimumCollectorVersion.count({ where: { group: null } })).toBe(1);
    const behind = await listHostsBehind({ db: t.db });
    expect(behind.map((h) => [h.name, h.minimumVersion])).toEqual([[canary.name, "2.0.0"]]);
    expect((await getCollectorConfig({ db: t.db, hostId: canary.id })).config.minimumVersion).toBe("2.0.0");
    expect((await getCollectorConfig({ db: t.db, hostId: plain.id })).config.minimumVersion).toBe("1.2.0");
    const audit = await t.db.prisma.auditLog.findMany({ where: { action: "collector.minimum_version.set" } });
    expect(audit).toHaveLength(3);
    expect(audit[2]?.before).toMatchObject({ version: "1.2.0" });
  });
});
