import { systemActor as actor, type TenantStatus } from "@meterplane/db";
import { anApiKey, aTenant, useTestDatabase } from "@meterplane/testing";
import { describe, expect, it } from "vitest";
import { authenticateApiKey } from "../api-keys/api-keys.ts";
import { createUser } from "../users/create-user.ts";
import { getSession, logIn } from "./sessions.ts";

const t = useTestDatabase();
const password = "a-long-password";

async function aTenantUser(email: string, tenantId: string) {
  return createUser({ db: t.db, actor, email, name: "Jo", password, tenantId });
}

// What the portal's suspend and reactivate buttons write (fleet's updateTenant, with its audit row).
const setStatus = (tenantId: string, status: TenantStatus) =>
  t.db.prisma.tenant.update({ where: { id: tenantId }, data: { status } });
const suspend = (tenantId: string) => setStatus(tenantId, "suspended");

describe("suspending a tenant", () => {
  it("ends its users' sessions at once and refuses their new logins, until it is reactivated", async () => {
    const tenant = await aTenant(t.db);
    await aTenantUser("jo@suspended.test", tenant.id);
    const { token } = await logIn({ db: t.db, email: "jo@suspended.test", password });

    await suspend(tenant.id);

    expect(await getSession({ db: t.db, token })).toBeNull();
    await expect(logIn({ db: t.db, email: "jo@suspended.test", password })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await setStatus(tenant.id, "active");
    expect((await getSession({ db: t.db, token }))?.tenantIds).toEqual([tenant.id]);
  });

  it("leaves a user's other, active tenants and an operator's portal access", async () => {
    const suspended = await aTenant(t.db);
    const active = await aTenant(t.db);
    const user = await aTenantUser("sam@two.test", suspended.id);
    await t.db.prisma.tenantMember.create({ data: { tenantId: active.id, userId: user.id } });
    await createUser({
      db: t.db,
      actor,
      email: "op@portal.test",
      name: "Op",
      password,
      operatorRole: "admin",
    });
    const member = await logIn({ db: t.db, email: "sam@two.test", password });
    const operator = await logIn({ db: t.db, email: "op@portal.test", password });

    await suspend(suspended.id);

    expect((await getSession({ db: t.db, token: member.token }))?.tenantIds).toEqual([active.id]);
    expect((await getSession({ db: t.db, token: operator.token }))?.operatorRole).toBe("admin");
    await expect(logIn({ db: t.db, email: "sam@two.test", password })).resolves.toBeTruthy();
  });

  it("refuses its API keys at once; an operator-wide key keeps working", async () => {
    const tenant = await aTenant(t.db);
    const tenantKey = await anApiKey(t.db, { tenantId: tenant.id });
    const operatorKey = await anApiKey(t.db, { tenantId: null });
    const bearer = (token: string) => `Bearer ${token}`;
    await authenticateApiKey({ db: t.db, authorization: bearer(tenantKey.token) });

    await suspend(tenant.id);

    await expect(
      authenticateApiKey({ db: t.db, authorization: bearer(tenantKey.token) }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("suspended"),
    });
    await expect(
      authenticateApiKey({ db: t.db, authorization: bearer(operatorKey.token) }),
    ).resolves.toMatchObject({
      tenantId: null,
    });
  });
});
