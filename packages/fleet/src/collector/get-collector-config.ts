import { createHash } from "node:crypto";
import type { Database } from "@meterplane/db";
import { type CollectorConfig, meterNames, type ReleaseArtifact } from "@meterplane/wire";
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
  const host = await db.prisma.host.findUniqueOrThrow({
    where: { id: hostId },
    include: { policy: true, environments: { where: { removedAt: null }, orderBy: { id: "asc" } } },
  });
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
    environments: host.environments.map((env) => ({
      id: env.id,
      kind: env.kind,
      selector: env.selector,
      meters: (env.meters.length ? env.meters : meterNames).filter((meter) => policyMeters.includes(meter)),
    })),
  };
  const etag = `"${createHash("sha256").update(JSON.stringify(config)).digest("base64url").slice(0, 27)}"`;
  return { config, etag };
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
