import type { Database } from "@meterplane/db";
import type { CollectorReport } from "@meterplane/wire";

/** Keeps a collector's version and upgrade progress on its host, as the portal shows them. */
export async function recordCollectorReport({
  db,
  hostId,
  report,
}: {
  db: Database;
  hostId: string;
  report: CollectorReport;
}) {
  await db.prisma.host.update({
    where: { id: hostId },
    data: {
      collectorVersion: report.version,
      lastSeenAt: new Date(),
      upgradeState: report.upgrade?.state ?? null,
      upgradeTarget: report.upgrade?.target ?? null,
      upgradeReason: report.upgrade?.reason ?? null,
      upgradeReportedAt: new Date(),
      ...(report.policy !== undefined
        ? { appliedPolicyId: report.policy?.id ?? null, appliedPolicyVersion: report.policy?.version ?? null }
        : {}),
    },
  });
}
