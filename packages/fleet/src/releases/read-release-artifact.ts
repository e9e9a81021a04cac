import { AppError } from "@meterplane/core";
import type { Database } from "@meterplane/db";

/** A release's tarball, for a collector to download; its digest and signature come with the config. */
export async function readReleaseArtifact({ db, version }: { db: Database; version: string }) {
  const release = await db.prisma.collectorRelease.findUnique({
    where: { version },
    select: { artifact: true, artifactSha256: true },
  });
  if (!release?.artifact || !release.artifactSha256)
    throw new AppError("NOT_FOUND", `release ${version} carries no collector artifact`);
  return { bytes: release.artifact, sha256: release.artifactSha256 };
}
