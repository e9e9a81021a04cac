import { systemActor } from "@meterplane/db";
import { aTenant, useTestDatabase } from "@meterplane/testing";
import { describe, expect, it } from "vitest";
import { getSession, logIn } from "../sessions/sessions.ts";
import { createUser } from "./create-user.ts";
import { removeTenantMember } from "./remove-tenant-member.ts";

const t = useTestDatabase();
const actor = systemActor;
const password = "a-long-password";

describe("removing a tenant user", () => {
  it("ends the user's access to that tenant at once, keeps the account, and audits who it was", async () => {
    const tenant = await aTenant(t.db);
    const user = await createUser({
      db: t.db,
      actor,
      email: "jo@acme.test",
      name: "Jo",
      password,
      tenantId: tenant.id,
    });
    const { token } = await logIn({ db: t.db, email: "jo@acme.test", password });
    expect((await getSession({ db: t.db, token }))?.tenantIds).toEqual([tenant.id]);

    await removeTenantMember({ db: t.db, actor, tenantId: tenant.id, userId: user.id });

    expect((await getSession({ db: t.db, token }))?.tenantIds).toEqual([]);
    expect(await t.db.prisma.user.count({ where: { id: user.id } })).toBe(1);
    const row = await t.db.prisma.auditLog.findFirstOrThrow({ where: { action: "tenant_member.remove" } });
    expect(row).toMatchObject({ tenantId: tenant.id, entityId: user.id });
    expect(JSON.stringify(row.before)).toContain("jo@acme.test");
  });

  it("says so when the user is not a member, and writes nothing", async () => {
    const tenant = await aTenant(t.db);
    const other = await aTenant(t.db);
    const user = await createUser({
      db: t.db,
      actor,
      email: "x@b.test",
      name: "X",
      password,
      tenantId: other.id,
    });
    await expect(
      removeTenantMember({ db: t.db, actor, tenantId: tenant.id, userId: user.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await t.db.prisma.tenantMember.count({ where: { userId: user.id } })).toBe(1);
    expect(
      await t.db.prisma.auditLog.count({ where: { action: "tenant_member.remove", entityId: user.id } }),
    ).toBe(0);
  });
});
