import { AppError } from "@meterplane/core";
import { type Actor, type Database, recordAudit } from "@meterplane/db";
import { type PlanVersionInput, parsePlanVersion, writePlanVersion } from "./plan-version-input.ts";

/** A new plan with its first version. */
export async function createPlan({
  db,
  actor,
  code,
  name,
  version,
}: {
  db: Database;
  actor: Actor;
  code: string;
  name: string;
  version: PlanVersionInput;
}) {
  const parsed = parsePlanVersion(version);
  return db.prisma.$transaction(async (tx) => {
    if (await tx.plan.findUnique({ where: { code } })) throw new AppError("CONFLICT", `plan ${code} exists`);
    const plan = await tx.plan.create({ data: { code, name } });
    const first = await writePlanVersion(tx, plan.id, 1, parsed);
    await recordAudit(tx, {
      actor,
      action: "plan.created",
      entity: "plan",
      entityId: plan.id,
      after: { code, name, version: first },
    });
    return { plan, version: first };
  });
}
