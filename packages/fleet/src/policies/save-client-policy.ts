import { AppError } from "@meterplane/core";
import type { Actor } from "@meterplane/db";
import { type Database, recordAudit } from "@meterplane/db";
import { isMeterName } from "@meterplane/wire";

export interface ClientPolicyFields {
  name: string;
  intervalSeconds: number;
  /** Empty means every meter. */
  meters: string[];
  spoolMaxBytes: bigint;
}

/** Creates a client policy (no id) or changes one; hosts pick the change up on their next config poll. */
export async function saveClientPolicy({
  db,
  actor,
  policyId,
  fields,
}: {
  db: Database;
  actor: Actor;
  policyId?: string | null;
  fields: ClientPolicyFields;
}) {
  const unknown = fields.meters.filter((meter) => !isMeterName(meter));
  if (unknown.length) throw new AppError("VALIDATION_FAILED", `unknown meters: ${unknown.join(", ")}`);
  return db.prisma.$transaction(async (tx) => {
    const clash = await tx.clientPolicy.findUnique({ where: { name: fields.name } });
    if (clash && clash.id !== policyId)
      throw new AppError("CONFLICT", `a policy named "${fields.name}" exists; choose another name`);
    const before = policyId ? await tx.clientPolicy.findUnique({ where: { id: policyId } }) : null;
    if (policyId && !before) throw new AppError("NOT_FOUND", "no such client policy");
    const after = before
      ? await tx.clientPolicy.update({ where: { id: before.id }, data: fields })
      : await tx.clientPolicy.create({ data: fields });
    await recordAudit(tx, {
      actor,
      action: before ? "client_policy.update" : "client_policy.create",
      entity: "client_policy",
      entityId: after.id,
      before,
      after,
    });
    return after;
  });
}
