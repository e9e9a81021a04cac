import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import type { ReleaseArtifact } from "@meterplane/wire";
import { fsyncDir } from "../fs-atomic.ts";
import { authHeaders, endpoint, type ServerAuth } from "../http.ts";

/**
 * The install layout the upgrade works in (the systemd unit runs `<installDir>/current/bin/…`):
 *   <installDir>/releases/<version>/   one unpacked release tarball each
 *   <installDir>/current -> releases/<version>
 * Switching versions is one atomic rename of the `current` symlink, so a crash leaves the old or the new.
 */
export function currentRelease(installDir: string): string | undefined {
  try {
    return basename(readlinkSync(join(installDir, "current")));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

export function pointCurrentAt(installDir: string, version: string): void {
  const tmp = join(installDir, `.current.${process.pid}.tmp`);
  rmSync(tmp, { force: true });
  symlinkSync(join("releases", version), tmp);
  renameSync(tmp, join(installDir, "current"));
  fsyncDir(installDir);
}

export async function downloadRelease(
  auth: ServerAuth,
  release: ReleaseArtifact,
  signal: AbortSignal,
): Promise<Buffer> {
  const response = await fetch(endpoint(auth, `/api/v1/collector/releases/${release.version}/artifact`), {
    headers: authHeaders(auth),
    signal: AbortSignal.any([signal, AbortSignal.timeout(300_000)]),
  });
  if (!response.ok) throw new Error(`the artifact download answered HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/**
 * Unpacks a verified tarball beside the running release: into a scratch directory first, renamed into
 * place once whole, so `releases/<version>` is either complete or absent.
 */
export async function stageRelease(installDir: string, version: string, tarball: Buffer): Promise<void> {
  const releases = join(installDir, "releases");
  const target = join(releases, version);
  const scratch = join(releases, `.${version}.${process.pid}.staging`);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  try {
    writeFileSync(`${scratch}.tar.gz`, tarball);
    await promisify(execFile)("tar", ["-xzf", `${scratch}.tar.gz`, "-C", scratch, "--no-same-owner"]);
    if (!existsSync(join(scratch, "bin", "meterplane-collector")))
      throw new Error("the artifact holds no bin/meterplane-collector");
    rmSync(target, { recursive: true, force: true });
    renameSync(scratch, target);
    fsyncDir(releases);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(`${scratch}.tar.gz`, { force: true });
  }
}
