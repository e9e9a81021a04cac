import type { Database } from "@meterplane/db";
import { compareVersions } from "@meterplane/wire";

/** The newest release that carries a collector to install (its version and digest), or null if none does. */
export async function latestCollectorArtifact({
  db,
}: {
  db: Database;
}): Promise<{ version: string; sha256: string } | null> {
  const releases = await db.prisma.collectorRelease.findMany({
    where: { artifactSha256: { not: null } },
    select: { version: true, artifactSha256: true },
  });
  const latest = releases.sort((a, b) => compareVersions(a.version, b.version)).at(-1);
  return latest?.artifactSha256 ? { version: latest.version, sha256: latest.artifactSha256 } : null;
}
