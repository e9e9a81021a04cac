import { AppError } from "@meterplane/core";

/**
 * Where the unit file runs the collector from: the release in use, unpacked from its tarball
 * (collector/scripts/build-release.ts) with `bin/`, the unit file and the README at its top.
 */
export const collectorInstallDir = "/opt/meterplane-collector/current";

/**
 * The one command an operator pastes on a new host, as root: install the collector's systemd unit from the
 * repository at `installDir`, trade the one-time token for the host's credential against `server` (the
 * state directory is the unit's), and start the unit now and at every boot. `set -e`: a failed enrollment
 * starts nothing.
 */
export function enrollmentCommand({
  server,
  token,
  installDir = collectorInstallDir,
}: {
  server: string;
  token: string;
  installDir?: string;
}): string {
  const url = new URL(server);
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new AppError("VALIDATION_FAILED", `the server URL ${server} is not http(s)`);
  // Everything goes inside single quotes: none of the parts may hold one, or a space.
  const origin = url.origin;
  for (const part of [origin, token, installDir])
    if (!/^[\w.:/@%+-]+$/.test(part))
      throw new AppError("VALIDATION_FAILED", `cannot quote ${part} for a shell`);
  const collector = installDir;
  return [
    "sudo sh -c 'set -e",
    ` install -m 0644 ${collector}/meterplane-collector.service /etc/systemd/system/meterplane-collector.service`,
    ` ${collector}/bin/meterplane-collector enroll --server ${origin} ${token}`,
    " systemctl daemon-reload",
    " systemctl enable --now meterplane-collector'",
  ].join(";");
}
