import { AppError } from "@meterplane/core";
import type { Database, Prisma } from "@meterplane/db";
import type { EnvironmentHandover } from "@meterplane/wire";

/**
 * Stores what a host handed over when an environment moved off it: its closing readings at the end of its
 * assignment, which the next host's configuration then carries. The first hand-over counts; a repeat (the
 * collector retrying after a lost answer) changes nothing.
 */
export async function recordEnvironmentHandover({
  db,
  hostId,
  handover,
}: {
  db: Database;
  hostId: string;
  handover: EnvironmentHandover;
}): Promise<{ recorded: boolean }> {
  const at = new Date(handover.at);
  const assignment = await db.prisma.environmentAssignment.findFirst({
    where: { environmentId: handover.environmentId, hostId, validTo: at },
  });
  if (!assignment)
    throw new AppError(
      "NOT_FOUND",
      `environment ${handover.environmentId} has no assignment to this host ending at ${handover.at}`,
    );
  const { count } = await db.prisma.environmentAssignment.updateMany({
    where: { tenantId: assignment.tenantId, id: assignment.id, handedOverAt: null },
    data: { handover: handover as unknown as Prisma.InputJsonValue, handedOverAt: new Date() },
  });
  return { recorded: count === 1 };
}
