import {
  type CollectorConfig,
  parseReleasePublicKey,
  type ReleaseArtifact,
  releaseArtifactProblem,
  type UpgradeState,
} from "@meterplane/wire";
import { requiredUpgrade } from "../config-client.ts";
import type { ServerAuth } from "../http.ts";
import type { Logger } from "../log.ts";
import type { Reporter } from "../report.ts";
import { collectorVersion } from "../version.ts";
import { currentRelease, downloadRelease, pointCurrentAt, stageRelease } from "./install-release.ts";
import { readUpgrade, type UpgradeRecord, writeUpgrade } from "./upgrade-state.ts";

export interface UpgraderOptions {
  auth: ServerAuth;
  stateDir: string;
  /** Where releases are staged (`METERPLANE_INSTALL_DIR`); without it this collector cannot upgrade itself. */
  installDir: string | undefined;
  log: Logger;
  signal: AbortSignal;
  reporter: Reporter;
}

/**
 * Self-upgrade, beside metering (which never waits for it): when the server demands a newer version, download
 * its artifact, check digest and signature against the release key learnt at enrollment, unpack it beside the
 * running release, and, right after a tick is committed, point `current` at it and let the supervisor restart
 * into it (state and spool stay in the state directory, which both versions share). The new version is on
 * trial until its first batch is acknowledged; a failed trial points `current` back. Each step is written to
 * `upgrade.json` and reported to the server for the portal.
 */
export class Upgrader {
  private busy = false;
  private staged: ReleaseArtifact | undefined;
  private trial: UpgradeRecord | undefined;

  constructor(private readonly options: UpgraderOptions) {}

  /** At start: a version that was restarted into is on trial; anything else is reported as it stands. */
  start(): void {
    const record = readUpgrade(this.options.stateDir);
    if (record?.state === "restarting" && record.target === collectorVersion) {
      this.trial = record;
      this.options.log.info("running a new version on trial until its first batch is acknowledged", {
        version: collectorVersion,
        previous: record.previous,
      });
    } else if (record?.state === "restarting") {
      this.record("failed", record.target, {
        sha256: record.sha256,
        reason: `restarted, but into ${collectorVersion}, not ${record.target}`,
      });
      return;
    }
    this.report(record);
  }

  get onTrial(): boolean {
    return this.trial !== undefined;
  }

  /** Called with every configuration: starts an upgrade the server demands, unless this one already failed. */
  consider(config: CollectorConfig): void {
    const target = requiredUpgrade(config);
    if (!target || this.busy || this.staged?.version === target) return;
    const release = config.release?.version === target ? config.release : undefined;
    const last = readUpgrade(this.options.stateDir);
    if (last?.target === target && last.state === "failed" && last.sha256 === release?.sha256) return;
    const { installDir, auth } = this.options;
    const refuse = (reason: string) => this.record("failed", target, { sha256: release?.sha256, reason });
    const impossible = !release
      ? `release ${target} carries no collector artifact to install`
      : !installDir
        ? "METERPLANE_INSTALL_DIR is not set: this collector has no release directory to upgrade in"
        : !auth.releasePublicKey
          ? "no release public key: enroll this host again with a server that has one"
          : undefined;
    if (impossible || !release || !installDir || !auth.releasePublicKey) {
      refuse(impossible ?? "");
      return;
    }
    this.busy = true;
    this.install(release, installDir, auth.releasePublicKey)
      .catch((error: unknown) => refuse(`installing ${target} failed: ${String(error)}`))
      .finally(() => {
        this.busy = false;
      });
  }

  /** A verified release is staged and waits for the moment after a tick's commit. */
  get readyToSwitch(): boolean {
    return this.staged !== undefined;
  }

  /** Points `current` at the staged release; the caller then stops so the supervisor restarts into it. */
  switchNow(): void {
    const release = this.staged;
    const installDir = this.options.installDir;
    if (!release || !installDir) return;
    const previous = currentRelease(installDir) ?? collectorVersion;
    this.record("restarting", release.version, { sha256: release.sha256, previous });
    pointCurrentAt(installDir, release.version);
    this.staged = undefined;
  }

  /** The trial's health check passed: the new version runs and the server took its batches. */
  passTrial(): void {
    const trial = this.trial;
    if (!trial) return;
    this.trial = undefined;
    this.record("restarted", trial.target, { sha256: trial.sha256 });
  }

  /** The new version failed its first health check: point `current` back at the previous release. */
  failTrial(reason: string): void {
    const trial = this.trial;
    const installDir = this.options.installDir;
    if (!trial) return;
    this.trial = undefined;
    if (installDir && trial.previous) pointCurrentAt(installDir, trial.previous);
    this.record("failed", trial.target, {
      sha256: trial.sha256,
      reason: `${trial.target} failed its first health check (${reason}); rolled back to ${trial.previous}`,
    });
  }

  private async install(release: ReleaseArtifact, installDir: string, publicKey: string): Promise<void> {
    const { sha256, version: target } = release;
    this.record("pending", target, { sha256 });
    this.record("downloading", target, { sha256 });
    const bytes = await downloadRelease(this.options.auth, release, this.options.signal);
    const problem = releaseArtifactProblem(bytes, release, parseReleasePublicKey(publicKey));
    if (problem) {
      this.record("failed", target, { sha256, reason: `refused: ${problem}` });
      return;
    }
    await stageRelease(installDir, target, bytes);
    this.record("verified", target, { sha256 });
    this.staged = release;
  }

  private record(
    state: UpgradeState,
    target: string,
    extra: { sha256?: string; reason?: string; previous?: string },
  ): void {
    const record = writeUpgrade(this.options.stateDir, { state, target, ...extra });
    const log = state === "failed" ? this.options.log.error : this.options.log.info;
    log(`upgrade ${state}`, { version: collectorVersion, target, reason: extra.reason });
    this.report(record);
  }

  private report(record: UpgradeRecord | undefined): void {
    this.options.reporter.update({
      upgrade: record
        ? { state: record.state, target: record.target, reason: record.reason?.slice(0, 1000) }
        : null,
    });
  }
}
