import type { Prisma } from "./generated/prisma/client.ts";

/** Who makes a change, as the audit log records it: the one definition every package uses. */
export interface Actor {
  kind: "user" | "api_key" | "host" | "system";
  id?: string | null;
}

export const systemActor: Actor = { kind: "system" };

export interface AuditEntry {
  actor: Actor;
  tenantId?: string | null;
  action: string;
  entity: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

// Dates, bigints and decimals become JSON strings so the log stores exactly what was there.
function toJson(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  return JSON.parse(JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v)));
}

/** Writes one audit row; call it with the transaction that makes the change, so both land or neither. */
export async function recordAudit(tx: Prisma.TransactionClient, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: {
      actorKind: entry.actor.kind,
      actorId: entry.actor.id ?? null,
      tenantId: entry.tenantId ?? null,
      action: entry.action,
      entity: entry.entity,
      entityId: entry.entityId,
      before: toJson(entry.before),
      after: toJson(entry.after),
    },
  });
}
