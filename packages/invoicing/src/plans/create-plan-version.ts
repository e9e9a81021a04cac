import { AppError } from "@meterplane/core";
import { type Actor, type Database, recordAudit } from "@meterplane/db";
import { type PlanVersionInput, parsePlanVersion, writePlanVersion } from "./plan-version-input.ts";

/**
 * Editing a plan: its next version, complete. Existing versions never change, so subscriptions stay on the
 * version they have until moved (`moveSubscription`), and closed periods re-rate exactly as billed.
 */
export async function createPlanVersion({
  db,
  actor,
  planId,
  version,
}: {
  db: Database;
  actor: Actor;
  planId: string;
  version: PlanVersionInput;
}) {
  const parsed = parsePlanVersion(version);
  return db.prisma.$transaction(async (tx) => {
    // Locks the plan so two concurrent edits cannot both become version n + 1.
    const locked = await tx.$queryRaw<unknown[]>`SELECT 1 FROM "Plan" WHERE id = ${planId}::uuid FOR UPDATE`;
    if (locked.length === 0) throw new AppError("NOT_FOUND", `plan ${planId} not found`);
    const latest = await tx.planVersion.aggregate({ where: { planId }, _max: { version: true } });
    const next = await writePlanVersion(tx, planId, (latest._max.version ?? 0) + 1, parsed);
    await recordAudit(tx, { actor, action: "plan.versioned", entity: "plan", entityId: planId, after: next });
    return next;
  });
}
