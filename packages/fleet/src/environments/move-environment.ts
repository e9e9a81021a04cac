import { AppError } from "@meterplane/core";
import type { Actor } from "@meterplane/db";
import { type Database, recordAudit } from "@meterplane/db";
import { compareVersions } from "@meterplane/wire";
import { defaultIntervalSeconds } from "../collector/get-collector-config.ts";
import { assertSelectorFree } from "./environment-selector.ts";

/** The first collector version that honours assignments (`from`/`until`) and hands its readings over. */
export const movesSinceVersion = "0.3.0";

/**
 * Moves an environment to another host at an instant: the current host meters it until then, the new one
 * from then on (`EnvironmentAssignment`, half-open). The instant is the first tick both hosts' collectors
 * share (ticks are aligned inside each UTC hour; an hour boundary is a tick of every interval) that leaves
 * each of them two configuration refreshes to learn of the move, and not before `notBefore`.
 */
export async function moveEnvironment({
  db,
  actor,
  tenantId,
  environmentId,
  toHostId,
  notBefore,
  now = new Date(),
}: {
  db: Database;
  actor: Actor;
  tenantId: string;
  environmentId: string;
  toHostId: string;
  notBefore?: Date;
  now?: Date;
}) {
  return db.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Environment" WHERE "tenantId" = ${tenantId}::uuid AND id = ${environmentId}::uuid FOR UPDATE`;
    const key = { tenantId_id: { tenantId, id: environmentId } };
    const before = await tx.environment.findUnique({ where: key });
    if (!before || before.removedAt) throw new AppError("NOT_FOUND", "no such environment");
    if (before.hostId === toHostId) throw new AppError("CONFLICT", "the environment is already on this host");
    const hosts = await tx.host.findMany({
      where: { id: { in: [before.hostId, toHostId] } },
      include: { policy: true },
    });
    const from = hosts.find((h) => h.id === before.hostId);
    const to = hosts.find((h) => h.id === toHostId);
    if (!from || !to || to.removedAt) throw new AppError("NOT_FOUND", "no such host");
    for (const host of [from, to])
      if (host.collectorVersion && compareVersions(host.collectorVersion, movesSinceVersion) < 0)
        throw new AppError(
          "CONFLICT",
          `host ${host.name} runs collector ${host.collectorVersion}, which cannot hand an environment over; upgrade it to ${movesSinceVersion} or later first`,
        );
    const pending = await tx.environmentAssignment.findFirst({
      where: { tenantId, environmentId, validFrom: { gt: now } },
    });
    if (pending)
      throw new AppError(
        "CONFLICT",
        `a move of this environment is already scheduled for ${pending.validFrom?.toISOString()}`,
      );
    await assertSelectorFree(tx, {
      hostId: toHostId,
      kind: before.kind,
      selector: before.selector,
      environmentId,
    });

    const intervals = [from, to].map((h) => h.policy?.intervalSeconds ?? defaultIntervalSeconds);
    const leadSeconds = 2 * Math.max(30, ...intervals) + 5;
    const earliest = Math.max(now.getTime() / 1000 + leadSeconds, (notBefore?.getTime() ?? 0) / 1000);
    const at = new Date(commonTick(Math.ceil(earliest), intervals) * 1000);

    const open = await tx.environmentAssignment.findFirst({
      where: { tenantId, environmentId, validTo: null },
    });
    if (open)
      await tx.environmentAssignment.update({
        where: { tenantId_id: { tenantId, id: open.id } },
        data: { validTo: at },
      });
    else
      await tx.environmentAssignment.create({
        data: { tenantId, environmentId, hostId: before.hostId, validFrom: null, validTo: at },
      });
    await tx.environmentAssignment.create({
      data: { tenantId, environmentId, hostId: toHostId, validFrom: at },
    });
    const after = await tx.environment.update({ where: key, data: { hostId: toHostId } });
    await recordAudit(tx, {
      actor,
      tenantId,
      action: "environment.move",
      entity: "environment",
      entityId: environmentId,
      before: { hostId: before.hostId },
      after: { hostId: toHostId, at: at.toISOString() },
    });
    return { environment: after, at, fromHostId: before.hostId };
  });
}

/** The first instant at or after `seconds` (epoch) that is a tick of every interval: see collector/src/time.ts. */
export function commonTick(seconds: number, intervals: number[]): number {
  for (let s = seconds; ; s++) {
    const offset = ((s % 3600) + 3600) % 3600;
    if (intervals.every((interval) => offset % interval === 0)) return s;
  }
}
