import { dirname } from "node:path/posix";
import { AppError } from "@meterplane/core";

/**
 * Where the unit file runs the collector from: the release in use, unpacked from its tarball
 * (collector/scripts/build-release.ts) with `bin/`, the unit file and the README at its top.
 */
export const collectorInstallDir = "/opt/meterplane-collector/current";

/**
 * The one command an operator pastes on a new host, as root. With a `release` (the newest published with its
 * collector): download that tarball from `server` with the enrollment token, check its SHA-256, unpack it as
 * the release layout says (`releases/<version>`, `current` pointing at it). Then install the collector's
 * systemd unit from `installDir`, trade the one-time token for the host's credential against `server` (the
 * state directory is the unit's), and start the unit now and at every boot. `set -e`: a failed step stops
 * the rest, so a download that fails its digest installs and starts nothing.
 */
export function enrollmentCommand({
  server,
  token,
  release,
  installDir = collectorInstallDir,
}: {
  server: string;
  token: string;
  release?: { version: string; sha256: string } | null;
  installDir?: string;
}): string {
  const url = new URL(server);
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new AppError("VALIDATION_FAILED", `the server URL ${server} is not http(s)`);
  // Everything goes inside single quotes: none of the parts may hold one, or a space.
  const origin = url.origin;
  for (const part of [origin, token, installDir, ...(release ? [release.version, release.sha256] : [])])
    if (!/^[\w.:/@%+-]+$/.test(part))
      throw new AppError("VALIDATION_FAILED", `cannot quote ${part} for a shell`);
  const collector = installDir;
  return [
    "sudo sh -c 'set -e",
    ...(release ? downloadRelease({ origin, token, release, installDir }) : []),
    ` install -m 0644 ${collector}/meterplane-collector.service /etc/systemd/system/meterplane-collector.service`,
    ` ${collector}/bin/meterplane-collector enroll --server ${origin} ${token}`,
    " systemctl daemon-reload",
    " systemctl enable --now meterplane-collector'",
  ].join(";");
}

function downloadRelease({
  origin,
  token,
  release: { version, sha256 },
  installDir,
}: {
  origin: string;
  token: string;
  release: { version: string; sha256: string };
  installDir: string;
}): string[] {
  const base = dirname(installDir);
  const tarball = `${base}/meterplane-collector-${version}.tar.gz`;
  return [
    ` mkdir -p ${base}/releases/${version}`,
    ` curl -fsS -H "Authorization: Bearer ${token}" -o ${tarball} ${origin}/api/v1/collector/releases/${version}/artifact`,
    ` echo "${sha256}  ${tarball}" | sha256sum -c -`,
    ` tar -xzf ${tarball} -C ${base}/releases/${version}`,
    ` ln -sfn releases/${version} ${installDir}`,
  ];
}
