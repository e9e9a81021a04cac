import { AppError } from "@meterplane/core";
import type { Actor } from "@meterplane/db";
import { type Database, recordAudit } from "@meterplane/db";

export interface CreateHostOptions {
  db: Database;
  actor: Actor;
  name: string;
  group?: string | null;
  policyId?: string | null;
}

export async function createHost({ db, actor, name, group, policyId }: CreateHostOptions) {
  return db.prisma.$transaction(async (tx) => {
    if (await tx.host.findUnique({ where: { name } }))
      throw new AppError("CONFLICT", `a host named "${name}" exists`);
    const host = await tx.host.create({ data: { name, group: group ?? null, policyId: policyId ?? null } });
    await recordAudit(tx, { actor, action: "host.create", entity: "host", entityId: host.id, after: host });
    return host;
  });
}
