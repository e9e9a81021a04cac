import { createHash } from "node:crypto";
import type { Database } from "@meterplane/db";
import {
  type CollectorConfig,
  type EnvironmentHandover,
  meterNames,
  type ReleaseArtifact,
} from "@meterplane/wire";
import { requiredCollectorVersion } from "../releases/required-collector-version.ts";

export const defaultIntervalSeconds = 10;

/**
 * What one host's collector should do now: which environments to meter, how often, and the oldest
 * collector version allowed to ship (the stricter of its group's minimum and the global one).
 */
export async function getCollectorConfig({
  db,
  hostId,
}: {
  db: Database;
  hostId: string;
}): Promise<{ config: CollectorConfig; etag: string }> {
  const host = await db.prisma.host.findUniqueOrThrow({ where: { id: hostId }, include: { policy: true } });
  const environments = await assignedEnvironments(db, hostId);
  const minimumVersion = await requiredCollectorVersion({ db, hostId });
  const release = minimumVersion ? await releaseArtifact(db, minimumVersion) : null;
  const policyMeters = host.policy?.meters.length ? host.policy.meters : meterNames;
  const config: CollectorConfig = {
    hostId,
    intervalSeconds: host.policy?.intervalSeconds ?? defaultIntervalSeconds,
    minimumVersion,
    release,
    policy: host.policy
      ? {
          id: host.policy.id,
          version: host.policy.version,
          spoolMaxBytes: Number(host.policy.spoolMaxBytes),
          transactionsUdpPort: host.policy.transactionsUdpPort,
        }
      : null,
    environments: environments.map((env) => ({
      id: env.id,
      kind: env.kind,
      selector: env.selector,
      meters: (env.meters.length ? env.meters : meterNames).filter((meter) => policyMeters.includes(meter)),
      ...(env.validFrom && { from: env.validFrom.toISOString(), handover: env.handover }),
      ...(env.validTo && { until: env.validTo.toISOString() }),
    })),
  };
  const etag = `"${createHash("sha256").update(JSON.stringify(config)).digest("base64url").slice(0, 27)}"`;
  return { config, etag };
}

/**
 * The environments this host meters now or will: those that never moved and are on it, and its assignments
 * that are open or ended without its hand-over yet (for an hour, so a host that went away is not asked
 * forever). An assignment that begins with a move carries the previous host's hand-over for an hour. Of
 * two assignments of one environment (it came back within the hour), the later one stands.
 */
async function assignedEnvironments(db: Database, hostId: string) {
  const { rows } = await db.pool.query<{
    id: string;
    kind: CollectorConfig["environments"][number]["kind"];
    selector: string;
    meters: string[];
    validFrom: Date | null;
    validTo: Date | null;
    handover: EnvironmentHandover | null;
  }>(
    `SELECT DISTINCT ON (e.id) e.id, e.kind, e.selector, e.meters, a."validFrom", a."validTo",
            CASE WHEN a."validFrom" > now() - interval '1 hour' THEN previous.handover END AS handover
       FROM "Environment" e
       LEFT JOIN "EnvironmentAssignment" a
         ON a."tenantId" = e."tenantId" AND a."environmentId" = e.id AND a."hostId" = $1
        AND (a."validTo" IS NULL OR (a."validTo" > now() - interval '1 hour' AND a."handedOverAt" IS NULL))
       LEFT JOIN "EnvironmentAssignment" previous
         ON previous."tenantId" = e."tenantId" AND previous."environmentId" = e.id AND previous."validTo" = a."validFrom"
      WHERE e."removedAt" IS NULL
        AND (a.id IS NOT NULL OR (e."hostId" = $1 AND NOT EXISTS (
              SELECT 1 FROM "EnvironmentAssignment" x WHERE x."tenantId" = e."tenantId" AND x."environmentId" = e.id)))
      ORDER BY e.id, a."validFrom" DESC NULLS LAST`,
    [hostId],
  );
  return rows;
}

/** The artifact a collector below `version` should install, without loading its bytes; null when it has none. */
async function releaseArtifact(db: Database, version: string): Promise<ReleaseArtifact | null> {
  const { rows } = await db.pool.query<{ sha256: string; signature: string; size: number }>(
    `SELECT "artifactSha256" AS sha256, "artifactSignature" AS signature, octet_length(artifact) AS size
       FROM "CollectorRelease" WHERE version = $1 AND artifact IS NOT NULL`,
    [version],
  );
  const row = rows[0];
  return row ? { version, sha256: row.sha256, signature: row.signature, size: Number(row.size) } : null;
}
