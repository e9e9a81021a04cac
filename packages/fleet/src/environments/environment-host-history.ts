import type { Database } from "@meterplane/db";

export interface HostSpan {
  hostId: string;
  hostName: string;
  /** null: since the environment was created. */
  from: Date | null;
  /** null: still (or from `from` on) this host's. */
  to: Date | null;
  /** When the host handed its closing readings over (moves only). */
  handedOverAt: Date | null;
}

/** The hosts that meter or metered an environment, oldest first: one span per assignment, or its one host. */
export async function environmentHostHistory({
  db,
  tenantId,
  environmentId,
}: {
  db: Database;
  tenantId: string;
  environmentId: string;
}): Promise<HostSpan[]> {
  const assignments = await db.prisma.environmentAssignment.findMany({
    where: { tenantId, environmentId },
    include: { host: { select: { name: true } } },
  });
  if (assignments.length === 0) {
    const environment = await db.prisma.environment.findUniqueOrThrow({
      where: { tenantId_id: { tenantId, id: environmentId } },
      include: { host: { select: { name: true } } },
    });
    return [
      {
        hostId: environment.hostId,
        hostName: environment.host.name,
        from: null,
        to: null,
        handedOverAt: null,
      },
    ];
  }
  return assignments
    .map((a) => ({
      hostId: a.hostId,
      hostName: a.host.name,
      from: a.validFrom,
      to: a.validTo,
      handedOverAt: a.handedOverAt,
    }))
    .sort(
      (a, b) =>
        (a.from?.getTime() ?? Number.NEGATIVE_INFINITY) - (b.from?.getTime() ?? Number.NEGATIVE_INFINITY),
    );
}
