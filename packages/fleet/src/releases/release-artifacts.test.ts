import { generateKeyPairSync, sign } from "node:crypto";
import { systemActor } from "@meterplane/db";
import { aHost, useTestDatabase } from "@meterplane/testing";
import { releaseArtifactProblem, releaseStatement, sha256Hex } from "@meterplane/wire";
import { describe, expect, it } from "vitest";
import { getCollectorConfig } from "../collector/get-collector-config.ts";
import { enrollHost } from "../hosts/enroll-host.ts";
import { issueEnrollmentToken } from "../hosts/issue-enrollment-token.ts";
import { authorizeArtifactDownload } from "./authorize-artifact-download.ts";
import { latestCollectorArtifact } from "./latest-collector-artifact.ts";
import { publishCollectorRelease } from "./publish-collector-release.ts";
import { readReleaseArtifact } from "./read-release-artifact.ts";
import { setMinimumCollectorVersion } from "./set-minimum-collector-version.ts";

const t = useTestDatabase();
const actor = systemActor;

function aReleaseKey() {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    privateKey,
    publicKeyObject: publicKey,
    publicKey: publicKey.export({ type: "spki", format: "der" }).toString("base64"),
    sign: (version: string, bytes: Buffer) =>
      sign(null, releaseStatement(version, sha256Hex(bytes)), privateKey).toString("base64"),
  };
}

describe("releases that carry the collector", () => {
  it("store the artifact with its digest and signature, and name it in the config of hosts below it", async () => {
    const key = aReleaseKey();
    const bytes = Buffer.from("a collector tarball, for the test");
    const { host } = await aHost(t.db, { group: "artifacts" });
    await publishCollectorRelease({
      db: t.db,
      actor,
      version: "5.0.0",
      artifact: { bytes, signature: key.sign("5.0.0", bytes) },
      releasePublicKey: key.publicKey,
    });
    await setMinimumCollectorVersion({ db: t.db, actor, version: "5.0.0", group: "artifacts" });

    const { config } = await getCollectorConfig({ db: t.db, hostId: host.id });
    expect(config.release).toEqual({
      version: "5.0.0",
      sha256: sha256Hex(bytes),
      signature: key.sign("5.0.0", bytes),
      size: bytes.byteLength,
    });
    const stored = await readReleaseArtifact({ db: t.db, version: "5.0.0" });
    expect(Buffer.from(stored.bytes).equals(bytes)).toBe(true);
    expect(releaseArtifactProblem(stored.bytes, config.release!, key.publicKeyObject)).toBeUndefined();
    // Flipping one bit of the artifact, or presenting it as another version, is caught by the collector's check.
    const tampered = Buffer.from(bytes);
    tampered[0] = tampered[0]! ^ 1;
    expect(releaseArtifactProblem(tampered, config.release!, key.publicKeyObject)).toMatch(/does not match/);
    expect(
      releaseArtifactProblem(bytes, { ...config.release!, version: "5.0.1" }, key.publicKeyObject),
    ).toMatch(/does not verify/);
  });

  it("refuse an artifact signed with another key, or with no release key configured, and publish nothing", async () => {
    const bytes = Buffer.from("another tarball");
    const ours = aReleaseKey();
    const theirs = aReleaseKey();
    await expect(
      publishCollectorRelease({
        db: t.db,
        actor,
        version: "5.1.0",
        artifact: { bytes, signature: theirs.sign("5.1.0", bytes) },
        releasePublicKey: ours.publicKey,
      }),
    ).rejects.toMatchObject({ code: "VALIDATION_FAILED", message: expect.stringMatching(/does not verify/) });
    await expect(
      publishCollectorRelease({
        db: t.db,
        actor,
        version: "5.1.0",
        artifact: { bytes, signature: ours.sign("5.1.0", bytes) },
      }),
    ).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    expect(await t.db.prisma.collectorRelease.findUnique({ where: { version: "5.1.0" } })).toBeNull();
  });

  it("leave the config's release null when the required release has no artifact", async () => {
    const { host } = await aHost(t.db, { group: "bare" });
    await publishCollectorRelease({ db: t.db, actor, version: "6.0.0" });
    await setMinimumCollectorVersion({ db: t.db, actor, version: "6.0.0", group: "bare" });
    const { config } = await getCollectorConfig({ db: t.db, hostId: host.id });
    expect(config).toMatchObject({ minimumVersion: "6.0.0", release: null });
  });

  it("go to a host being enrolled while its token is live, to an enrolled host, and to no one else", async () => {
    const { host, credential } = await aHost(t.db);
    const { token } = await issueEnrollmentToken({ db: t.db, actor, hostId: host.id });
    const download = (authorization: string | null) => authorizeArtifactDownload({ db: t.db, authorization });
    await expect(download(`Bearer ${token}`)).resolves.toBeUndefined();
    await expect(download(`Bearer ${credential}`)).resolves.toBeUndefined();
    await enrollHost({ db: t.db, token });
    await expect(download(`Bearer ${token}`)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    await expect(download("Bearer mpe_forged_secret")).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    await expect(download(null)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("name the newest release that carries a collector for the enrollment command to install", async () => {
    const key = aReleaseKey();
    const bytes = Buffer.from("the newest collector");
    await publishCollectorRelease({ db: t.db, actor, version: "90.0.0" });
    await publishCollectorRelease({
      db: t.db,
      actor,
      version: "80.10.0",
      artifact: { bytes, signature: key.sign("80.10.0", bytes) },
      releasePublicKey: key.publicKey,
    });
    expect(await latestCollectorArtifact({ db: t.db })).toEqual({
      version: "80.10.0",
      sha256: sha256Hex(bytes),
    });
  });
});
