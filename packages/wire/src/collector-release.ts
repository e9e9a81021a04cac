import { createHash, createPublicKey, type KeyObject, verify } from "node:crypto";
import { z } from "zod";

/**
 * A collector release as a host learns it from its configuration: the artifact's SHA-256 and the operator's
 * Ed25519 signature over `releaseStatement(version, sha256)`. The signature binds the version too, so an
 * older signed artifact cannot be passed off as a newer release.
 */
export const releaseArtifactSchema = z.object({
  version: z.string().regex(/^\d+\.\d+\.\d+$/),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Base64 Ed25519 signature. */
  signature: z.string().min(1),
  size: z.number().int().positive(),
});
export type ReleaseArtifact = z.infer<typeof releaseArtifactSchema>;

/** What the release key signs: a fixed context, the version and the artifact's digest. */
export function releaseStatement(version: string, sha256: string): Buffer {
  return Buffer.from(`meterplane-collector-release/1\n${version}\n${sha256}\n`);
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** A release public key as the server hands it out: base64 of its SPKI DER (one line, fits an env variable). */
export function parseReleasePublicKey(text: string): KeyObject {
  const key = createPublicKey({ key: Buffer.from(text.trim(), "base64"), format: "der", type: "spki" });
  if (key.asymmetricKeyType !== "ed25519") throw new Error("the release public key is not an Ed25519 key");
  return key;
}

/**
 * Why an artifact must not be installed, or undefined when its bytes match the digest and the digest and
 * version carry a valid signature of the release key.
 */
export function releaseArtifactProblem(
  bytes: Uint8Array,
  release: Pick<ReleaseArtifact, "version" | "sha256" | "signature">,
  publicKey: KeyObject,
): string | undefined {
  const actual = sha256Hex(bytes);
  if (actual !== release.sha256)
    return `artifact SHA-256 ${actual} does not match the release's ${release.sha256}`;
  const signature = Buffer.from(release.signature, "base64");
  if (!verify(null, releaseStatement(release.version, release.sha256), publicKey, signature))
    return `the signature of release ${release.version} does not verify with the release key`;
  return undefined;
}
