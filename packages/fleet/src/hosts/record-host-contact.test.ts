import { systemActor } from "@meterplane/db";
import { aHost, useTestDatabase } from "@meterplane/testing";
import { describe, expect, it } from "vitest";
import { recordHostContacts } from "./record-host-contact.ts";
import { revokeHostCredential } from "./revoke-host-credential.ts";

const t = useTestDatabase();

const epoch = async () =>
  (await t.db.pool.query<{ epoch: string }>(`SELECT "epoch"::text FROM "IngestCacheEpoch"`)).rows[0]!.epoch;

const contact = async (id: string) =>
  t.db.prisma.host.findUniqueOrThrow({ where: { id }, select: { lastSeenAt: true, collectorVersion: true } });

describe("recordHostContacts", () => {
  it("writes many hosts' contact in one statement, again within 5 s only for a new version", async () => {
    const [a, b] = await Promise.all([aHost(t.db), aHost(t.db)]);
    await recordHostContacts({
      db: t.db,
      contacts: [
        { hostId: a.host.id, collectorVersion: "0.3.0" },
        { hostId: b.host.id, collectorVersion: "0.2.0" },
      ],
    });
    const first = await contact(a.host.id);
    expect(first).toMatchObject({ collectorVersion: "0.3.0", lastSeenAt: expect.any(Date) });
    expect(await contact(b.host.id)).toMatchObject({ collectorVersion: "0.2.0" });
    await recordHostContacts({
      db: t.db,
      contacts: [
        { hostId: a.host.id, collectorVersion: "0.3.0" },
        { hostId: b.host.id, collectorVersion: "0.3.0" },
      ],
    });
    expect((await contact(a.host.id)).lastSeenAt).toEqual(first.lastSeenAt);
    expect(await contact(b.host.id)).toMatchObject({ collectorVersion: "0.3.0" });
  });

  it("leaves ingest's cache epoch alone, which a revocation moves", async () => {
    const { host } = await aHost(t.db);
    const before = await epoch();
    await recordHostContacts({ db: t.db, contacts: [{ hostId: host.id, collectorVersion: "0.3.0" }] });
    expect(await epoch()).toBe(before);
    const credential = await t.db.prisma.hostCredential.findFirstOrThrow({ where: { hostId: host.id } });
    await revokeHostCredential({ db: t.db, actor: systemActor, credentialId: credential.id });
    expect(BigInt(await epoch())).toBeGreaterThan(BigInt(before));
  });
});
