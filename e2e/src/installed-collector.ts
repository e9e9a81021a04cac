import { execFile } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { type Database, systemActor } from "@meterplane/db";
import { issueEnrollmentToken } from "@meterplane/fleet";
import { readStoredBatch, type Sample } from "@meterplane/wire";

/** Unpacks a release tarball as `<installDir>/releases/<version>` and points `current` at it. */
export async function installRelease(installDir: string, release: { version: string; bytes: Buffer }) {
  const dir = join(installDir, "releases", release.version);
  mkdirSync(dir, { recursive: true });
  const tarball = join(installDir, `${release.version}.tar.gz`);
  writeFileSync(tarball, release.bytes);
  await promisify(execFile)("tar", ["-xzf", tarball, "-C", dir]);
  symlinkSync(join("releases", release.version), join(installDir, "current"));
}

/** `meterplane-collector enroll` of the installed release, as an operator would run it on the host. */
export async function enrollInstalled(
  db: Database,
  {
    installDir,
    stateDir,
    server,
    hostId,
  }: { installDir: string; stateDir: string; server: string; hostId: string },
) {
  const { token } = await issueEnrollmentToken({ db, actor: systemActor, hostId });
  await promisify(execFile)(
    join(installDir, "current", "bin", "meterplane-collector"),
    ["enroll", "--server", server, "--token", token],
    { env: { ...process.env, METERPLANE_STATE_DIR: stateDir } },
  );
}

/** Every sample the server stored for a host, with the version of the collector that wrote its batch. */
export async function storedSamples(db: Database, hostId: string) {
  const { rows } = await db.pool.query<{ body: Buffer }>(
    `SELECT body FROM "SampleBatch" WHERE "hostId" = $1 ORDER BY sequence`,
    [hostId],
  );
  return rows.flatMap(({ body }) => {
    const batch = readStoredBatch(body);
    return batch.samples.map((sample) => ({ ...sample, collectorVersion: batch.collectorVersion }));
  });
}

/**
 * The slots of one environment's meter that are missing or covered twice: consecutive samples must meet
 * exactly (`start + seconds` of one is the `start` of the next).
 */
export function slotProblems(samples: Sample[], environmentId: string, meter: string): string[] {
  const slots = samples
    .filter((s) => s.environmentId === environmentId && s.meter === meter)
    .map((s) => ({ start: Date.parse(s.start) / 1000, end: Date.parse(s.start) / 1000 + s.seconds }))
    .sort((a, b) => a.start - b.start);
  const problems: string[] = [];
  for (let i = 1; i < slots.length; i++) {
    const [before, after] = [slots[i - 1]!, slots[i]!];
    if (after.start > before.end) problems.push(`gap ${before.end}..${after.start}`);
    if (after.start < before.end) problems.push(`overlap ${after.start}..${before.end}`);
  }
  return problems;
}

/** The CPU the rollups bill for an environment, as an exact decimal string (core-seconds). */
export async function billedCpu(db: Database, environmentId: string): Promise<string> {
  const { rows } = await db.pool.query<{ total: string | null }>(
    `SELECT sum(sum)::text AS total FROM "UsageHourly" WHERE "environmentId" = $1 AND meter = 'cpu'`,
    [environmentId],
  );
  return rows[0]?.total ?? "0";
}

/** Microseconds as core-seconds in the rollups' scale (12 decimals), for an exact comparison. */
export function coreSeconds(usec: bigint): string {
  const whole = usec / 1_000_000n;
  const fraction = (usec % 1_000_000n).toString().padStart(6, "0");
  return `${whole}.${fraction}000000`;
}
