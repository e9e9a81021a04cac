import { systemActor } from "@meterplane/db";
import { aHost, aMeteredTenant, useTestDatabase } from "@meterplane/testing";
import { describe, expect, it } from "vitest";
import { getCollectorConfig } from "../collector/get-collector-config.ts";
import { authenticateHost } from "../hosts/authenticate-host.ts";
import { recordCollectorReport } from "../hosts/record-collector-report.ts";
import { removeHost } from "../hosts/remove-host.ts";
import { updateHost } from "../hosts/update-host.ts";
import { removeClientPolicy } from "./remove-client-policy.ts";
import { saveClientPolicy } from "./save-client-policy.ts";

const t = useTestDatabase();
const actor = systemActor;
const fields = {
  intervalSeconds: 15,
  meters: ["cpu", "memory"],
  spoolMaxBytes: 64n * 1_048_576n,
  transactionsUdpPort: 8200,
};

describe("client policies", () => {
  it("reach the host whole and versioned, and the host's report says which version it applies", async () => {
    const { host } = await aHost(t.db);
    const policy = await saveClientPolicy({ db: t.db, actor, fields: { name: `p-${host.id}`, ...fields } });
    await updateHost({ db: t.db, actor, hostId: host.id, changes: { policyId: policy.id } });
    const changed = await saveClientPolicy({
      db: t.db,
      actor,
      policyId: policy.id,
      fields: { name: policy.name, ...fields, spoolMaxBytes: 32n * 1_048_576n },
    });
    expect([policy.version, changed.version]).toEqual([1, 2]);

    const { config } = await getCollectorConfig({ db: t.db, hostId: host.id });
    expect(config.intervalSeconds).toBe(15);
    expect(config.policy).toEqual({
      id: policy.id,
      version: 2,
      spoolMaxBytes: 32 * 1_048_576,
      transactionsUdpPort: 8200,
    });
    await recordCollectorReport({
      db: t.db,
      hostId: host.id,
      report: { version: "0.2.0", upgrade: null, policy: { id: policy.id, version: 2 } },
    });
    expect(await t.db.prisma.host.findUniqueOrThrow({ where: { id: host.id } })).toMatchObject({
      appliedPolicyId: policy.id,
      appliedPolicyVersion: 2,
    });
  });

  it("can be removed: their hosts fall back to the defaults and the audit log keeps the policy", async () => {
    const { host } = await aHost(t.db);
    const policy = await saveClientPolicy({
      db: t.db,
      actor,
      fields: { name: `gone-${host.id}`, ...fields },
    });
    await updateHost({ db: t.db, actor, hostId: host.id, changes: { policyId: policy.id } });
    expect(await removeClientPolicy({ db: t.db, actor, policyId: policy.id })).toEqual({ hostsDetached: 1 });
    const { config } = await getCollectorConfig({ db: t.db, hostId: host.id });
    expect(config).toMatchObject({ intervalSeconds: 10, policy: null });
    const audit = await t.db.prisma.auditLog.findFirst({
      where: { action: "client_policy.remove", entityId: policy.id },
    });
    expect(audit?.before).toMatchObject({ name: policy.name, hostIds: [host.id] });
  });
});

describe("removing a host", () => {
  it("revokes its credential and stops its environments, and keeps its history", async () => {
    const { host, credential, environment } = await aMeteredTenant(t.db);
    await t.db.prisma.batchKey.create({
      data: { hostId: host.id, sequence: 1n, batchId: 1n, receivedAt: new Date() },
    });
    await removeHost({ db: t.db, actor, hostId: host.id });
    await expect(authenticateHost({ db: t.db, authorization: `Bearer ${credential}` })).rejects.toMatchObject(
      { code: "CREDENTIAL_REVOKED" },
    );
    expect(
      (await t.db.prisma.hostCredential.findMany({ where: { hostId: host.id } })).every((c) => c.revokedAt),
    ).toBe(true);
    const kept = await t.db.prisma.environment.findFirstOrThrow({ where: { id: environment.id } });
    expect(kept.removedAt).not.toBeNull();
    expect(await t.db.prisma.batchKey.count({ where: { hostId: host.id } })).toBe(1);
    expect(await t.db.prisma.host.findUniqueOrThrow({ where: { id: host.id } })).toMatchObject({
      name: host.name,
      removedAt: expect.any(Date),
    });
  });
});
