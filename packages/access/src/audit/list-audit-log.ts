import type { Database, Prisma } from "@meterplane/db";

export interface AuditQuery {
  db: Database;
  tenantId?: string | null;
  action?: string | null;
  actorId?: string | null;
  entityId?: string | null;
  page?: number;
  pageSize?: number;
}

/** Newest first, filtered by any of tenant, action prefix, actor and entity; with the actors' emails. */
export async function listAuditLog({
  db,
  tenantId,
  action,
  actorId,
  entityId,
  page = 1,
  pageSize = 50,
}: AuditQuery) {
  const where: Prisma.AuditLogWhereInput = {
    ...(tenantId ? { tenantId } : {}),
    ...(action ? { action: { startsWith: action } } : {}),
    ...(actorId ? { actorId } : {}),
    ...(entityId ? { entityId } : {}),
  };
  const [rows, total] = await Promise.all([
    db.prisma.auditLog.findMany({
      where,
      orderBy: { id: "desc" },
      skip: (page - 1) * pageSize,
      take: pageSize,
    }),
    db.prisma.auditLog.count({ where }),
  ]);
  const actorIds = [...new Set(rows.map((r) => r.actorId).filter((id): id is string => !!id))];
  const users = await db.prisma.user.findMany({
    where: { id: { in: actorIds } },
    select: { id: true, email: true },
  });
  const emails = new Map(users.map((u) => [u.id, u.email]));
  return {
    total,
    rows: rows.map((row) => ({
      ...row,
      id: row.id.toString(),
      actorEmail: row.actorId ? emails.get(row.actorId) : undefined,
    })),
  };
}
