import { systemActor } from "@meterplane/db";
import { useTestDatabase } from "@meterplane/testing";
import { describe, expect, it } from "vitest";
import { logIn } from "../sessions/sessions.ts";
import { createUser } from "./create-user.ts";
import { updateUser } from "./update-user.ts";

const t = useTestDatabase();
const actor = systemActor;
const password = "a-long-password";

describe("changing an operator", () => {
  it("never demotes or disables the last active owner", async () => {
    const owner = await createUser({
      db: t.db,
      actor,
      email: "o@x.test",
      name: "O",
      password,
      operatorRole: "owner",
    });
    await expect(
      updateUser({ db: t.db, actor, userId: owner.id, changes: { operatorRole: "admin" } }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await expect(
      updateUser({ db: t.db, actor, userId: owner.id, changes: { disabled: true } }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });

  it("ends the sessions of a disabled user and keeps password hashes out of the audit log", async () => {
    const viewer = await createUser({
      db: t.db,
      actor,
      email: "v@x.test",
      name: "V",
      password,
      operatorRole: "viewer",
    });
    await logIn({ db: t.db, email: "v@x.test", password });
    await updateUser({ db: t.db, actor, userId: viewer.id, changes: { disabled: true } });
    expect(await t.db.prisma.session.count({ where: { userId: viewer.id } })).toBe(0);
    await expect(logIn({ db: t.db, email: "v@x.test", password })).rejects.toMatchObject({
      code: "UNAUTHENTICATED",
    });
    const row = await t.db.prisma.auditLog.findFirstOrThrow({
      where: { action: "user.update", entityId: viewer.id },
    });
    expect(JSON.stringify([row.before, row.after])).not.toContain("scrypt$");
  });
});
