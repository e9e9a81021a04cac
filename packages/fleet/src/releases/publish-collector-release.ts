import { AppError } from "@meterplane/core";
import type { Actor } from "@meterplane/db";
import { type Database, recordAudit } from "@meterplane/db";
import { parseReleasePublicKey, releaseArtifactProblem, sha256Hex } from "@meterplane/wire";

export const versionPattern = /^\d+\.\d+\.\d+$/;

/**
 * Records a collector version operators can require, with the collector itself when `artifact` is given:
 * the tarball `collector/scripts/build-release.ts` made and the signature it made with the operator's
 * release key (which never reaches the server). The signature is checked against the release public key
 * the server hands to collectors, so a release no collector would install is refused here, not on every
 * host. A release is never edited once published.
 */
export async function publishCollectorRelease({
  db,
  actor,
  version,
  notes = "",
  artifact,
  releasePublicKey,
}: {
  db: Database;
  actor: Actor;
  version: string;
  notes?: string;
  artifact?: { bytes: Uint8Array; signature: string };
  releasePublicKey?: string;
}) {
  if (!versionPattern.test(version))
    throw new AppError("VALIDATION_FAILED", `"${version}" is not a version like 1.4.2`);
  const stored = artifact && signedArtifact(version, artifact, releasePublicKey);
  return db.prisma.$transaction(async (tx) => {
    if (await tx.collectorRelease.findUnique({ where: { version } }))
      throw new AppError("CONFLICT", `release ${version} is already published`);
    const release = await tx.collectorRelease.create({ data: { version, notes, ...stored } });
    const { artifact: _bytes, ...described } = release;
    await recordAudit(tx, {
      actor,
      action: "collector_release.publish",
      entity: "collector_release",
      entityId: version,
      after: { ...described, artifactBytes: stored?.artifact.byteLength ?? null },
    });
    return release;
  });
}

function signedArtifact(
  version: string,
  { bytes, signature }: { bytes: Uint8Array; signature: string },
  releasePublicKey: string | undefined,
) {
  if (!releasePublicKey)
    throw new AppError(
      "VALIDATION_FAILED",
      "no release public key is configured (COLLECTOR_RELEASE_PUBLIC_KEY): collectors could not verify this artifact",
    );
  const sha256 = sha256Hex(bytes);
  const problem = releaseArtifactProblem(
    bytes,
    { version, sha256, signature: signature.trim() },
    parseReleasePublicKey(releasePublicKey),
  );
  if (problem) throw new AppError("VALIDATION_FAILED", problem);
  return {
    artifact: new Uint8Array(bytes),
    artifactSha256: sha256,
    artifactSignature: signature.trim(),
  };
}
