import { mkdirSync } from "node:fs";
import { type CollectorConfig, maxSamplesPerBatch, type Sample } from "@meterplane/wire";
import { type CgroupLayout, detectCgroupLayout } from "../cgroup/layout.ts";
import { ConfigClient, ConfigUnavailableError, requiredUpgrade } from "../config-client.ts";
import { exitCodes, FatalError } from "../errors.ts";
import { postHandoffs } from "../handoffs.ts";
import { backoffMs, type ServerAuth, sleep } from "../http.ts";
import type { Logger } from "../log.ts";
import { Reporter } from "../report.ts";
import { Sampler } from "../sampler.ts";
import { Shipper } from "../shipper.ts";
import { Spool } from "../spool.ts";
import { type CollectorState, loadState, saveState } from "../state.ts";
import { readStatus } from "../status.ts";
import { nextTick, previousTick } from "../time.ts";
import { TransactionEndpoint } from "../transactions/endpoint.ts";
import { Upgrader } from "../upgrade/upgrader.ts";
import { collectorVersion } from "../version.ts";
import { Wakeup } from "../wakeup.ts";

export interface RunOptions {
  stateDir: string;
  auth: ServerAuth;
  log: Logger;
  signal: AbortSignal;
  maxSpoolBytes: number;
  layout?: CgroupLayout;
  shipperBackoff?: { baseMs: number; maxMs: number };
  /** The transactions endpoint: UDP port on 127.0.0.1 and unix socket path. */
  transactions: { udpPort: number; socketPath: string };
  /** Self-upgrade: the install directory (none: upgrades are reported as impossible) and the trial's length. */
  upgrade?: { installDir: string | undefined; trialSeconds: number };
}

/**
 * How many intervals a restart may take and still have its gauges filled from the level read after it:
 * longer, and the collector was down rather than restarting, and the level meanwhile is unknown.
 */
const maxResumeIntervals = 12;

/**
 * The daemon: three loops (sample, ship, refresh config) sharing one stop signal. A signal stops them
 * between steps, so a tick in progress still commits its batch. Resolves to the process exit code.
 */
export async function runCollector(options: RunOptions): Promise<number> {
  const { stateDir, log } = options;
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const stop = new AbortController();
  const onExternalStop = () => stop.abort();
  options.signal.addEventListener("abort", onExternalStop, { once: true });
  let exitCode = 0;
  let failure: string | undefined;
  const guard = (loop: () => Promise<void>) =>
    loop().catch((error: unknown) => {
      exitCode = error instanceof FatalError ? error.exitCode : 1;
      failure = String(error);
      log.error(error instanceof FatalError ? error.message : "collector failed", {
        error: String(error),
        exitCode,
      });
      stop.abort();
    });

  const spool = new Spool(stateDir, { maxBytes: options.maxSpoolBytes, log });
  const state = loadState(stateDir, log);
  respoolPending(state, spool, stateDir, log);
  const configClient = new ConfigClient(options.auth, stateDir);
  let config: CollectorConfig | undefined;
  await guard(async () => {
    config = await initialConfig(configClient, log, stop.signal);
  });
  if (!config) return cleanup(exitCode);
  log.info("collector started", {
    version: collectorVersion,
    hostId: config.hostId,
    environments: config.environments.length,
  });
  const upgradeNotice = announceUpgrade(log);
  upgradeNotice(config);
  const reporter = new Reporter(options.auth, log);
  const upgrader = new Upgrader({
    auth: options.auth,
    stateDir,
    installDir: options.upgrade?.installDir,
    log,
    signal: stop.signal,
    reporter,
  });
  upgrader.start();
  upgrader.consider(config);
  const startedAt = Date.now();
  let ticked = false;
  const trialTimer = upgrader.onTrial
    ? setTimeout(
        () => {
          upgrader.failTrial(`no batch acknowledged within ${options.upgrade?.trialSeconds} s`);
          exitCode = 1;
          stop.abort();
        },
        (options.upgrade?.trialSeconds ?? 120) * 1000,
      )
    : undefined;

  const wakeShipper = new Wakeup();
  const shipper = new Shipper({ auth: options.auth, spool, stateDir, log, backoff: options.shipperBackoff });
  let sampler: Sampler | undefined;
  // A policy's transactions port is bound at start; a change of it is applied by a restart (below).
  const udpPort = config.policy?.transactionsUdpPort ?? options.transactions.udpPort;
  let restartFor: string | undefined;
  const applyPolicy = (applied: CollectorConfig) => {
    const policy = applied.policy ?? null;
    spool.setMaxBytes(policy?.spoolMaxBytes ?? options.maxSpoolBytes);
    const port = policy?.transactionsUdpPort ?? options.transactions.udpPort;
    if (port !== udpPort) {
      restartFor ??= `the client policy moves the transactions endpoint to port ${port}`;
      return;
    }
    reporter.update({ policy: policy && { id: policy.id, version: policy.version } });
  };
  applyPolicy(config);
  const endpoint = new TransactionEndpoint({
    ...options.transactions,
    udpPort,
    log,
    ownerOf: (inode) => sampler?.ownerOf(inode),
  });
  sampler = new Sampler(state, options.layout ?? detectCgroupLayout(), log, endpoint);
  const started = await endpoint.start().then(
    () => true,
    (error: unknown) => {
      // A second listener on the port would silently take part of the reports: refuse to run.
      log.error(String((error as Error).message), { exitCode: exitCodes.failure });
      return false;
    },
  );
  if (!started) return cleanup(exitCodes.failure);
  const measure = sampler;
  const current = () => config as CollectorConfig;
  // The previous process's last tick, for this one's first (its restart may have outlasted an interval).
  let since = state.lastTick;

  await Promise.all([
    guard(async () => {
      while (!stop.signal.aborted) {
        const interval = current().intervalSeconds;
        const planned = nextTick(Date.now() / 1000, interval);
        await sleep(planned * 1000 - Date.now(), stop.signal);
        if (stop.signal.aborted) break;
        // After a suspend or a stall, measure at the latest tick rather than replaying missed ones.
        const tick = Math.max(planned, previousTick(nextTick(Date.now() / 1000, interval), interval));
        const resumed = since !== undefined && since < tick && tick - since <= maxResumeIntervals * interval;
        const samples = await measure.sample(
          current().environments,
          tick,
          interval,
          resumed ? since : undefined,
        );
        since = undefined;
        state.lastTick = tick;
        commitTick(samples, state, spool, stateDir);
        ticked = true;
        wakeShipper.wake();
        // Right after a commit: the successor has a whole interval to start before the next tick is due.
        if (upgrader.readyToSwitch) {
          upgrader.switchNow();
          log.info("restarting into the new version; state and spool stay for it");
          stop.abort();
        } else if (restartFor) {
          log.info("restarting to apply the client policy", { reason: restartFor });
          stop.abort();
        }
      }
    }),
    guard(async () => {
      while (!stop.signal.aborted) {
        await shipper.drain(stop.signal);
        await postHandoffs(state, options.auth, log, stop.signal);
        if (upgrader.onTrial && ticked && healthy(stateDir, spool, startedAt)) upgrader.passTrial();
        await wakeShipper.wait(current().intervalSeconds * 1000, stop.signal);
      }
    }),
    guard(async () => {
      for (;;) {
        await sleep(Math.max(current().intervalSeconds, 30) * 1000, stop.signal);
        if (stop.signal.aborted) break;
        config = await refreshConfig(configClient, current(), log, stop.signal);
        upgradeNotice(config);
        applyPolicy(config);
        upgrader.consider(config);
      }
    }),
  ]);
  await endpoint.close();
  clearTimeout(trialTimer);
  if (upgrader.onTrial && exitCode !== 0) upgrader.failTrial(failure ?? `exit code ${exitCode}`);
  // The last report (a rollback, say) is worth a moment, not a stop that hangs on an unreachable server.
  await Promise.race([reporter.flushed(), sleep(2000)]);
  log.info("collector stopped", { exitCode });
  return cleanup(exitCode);

  function cleanup(code: number) {
    options.signal.removeEventListener("abort", onExternalStop);
    return code;
  }
}

/**
 * Commit order: reserve sequences, write the state (new baselines plus these batches) atomically, then
 * spool the batches. A crash after the state write is repaired by `respoolPending` at the next start.
 */
export function commitTick(samples: Sample[], state: CollectorState, spool: Spool, stateDir: string): void {
  const batches = [];
  for (let i = 0; i < samples.length; i += maxSamplesPerBatch) {
    batches.push(spool.newBatch(samples.slice(i, i + maxSamplesPerBatch)));
  }
  state.pending = batches;
  saveState(stateDir, state);
  for (const batch of batches) spool.write(batch);
}

function respoolPending(state: CollectorState, spool: Spool, stateDir: string, log: Logger): void {
  const acked = readStatus(stateDir).lastAckedSequence ?? 0;
  for (const batch of state.pending) {
    if (batch.sequence <= acked || spool.has(batch.sequence)) continue;
    spool.write(batch);
    log.info("re-spooled a batch committed before a crash", { sequence: batch.sequence });
  }
}

/** A new version's first health check: the server acknowledged a batch it shipped (or it had none to ship). */
function healthy(stateDir: string, spool: Spool, since: number): boolean {
  const last = readStatus(stateDir).lastShip;
  const acked =
    last && (last.result === "accepted" || last.result === "duplicate") && Date.parse(last.at) >= since;
  return Boolean(acked) || spool.entries().length === 0;
}

/** Says once per demanded version why shipping stops while metering goes on. */
function announceUpgrade(log: Logger) {
  let announced: string | undefined;
  return (config: CollectorConfig) => {
    const required = requiredUpgrade(config);
    if (required && required !== announced)
      log.warn("upgrade required: metering and spooling continue; batches ship once upgraded", {
        version: collectorVersion,
        minimumVersion: required,
      });
    announced = required;
  };
}

async function initialConfig(client: ConfigClient, log: Logger, signal: AbortSignal) {
  for (let attempt = 0; !signal.aborted; attempt++) {
    try {
      return await client.fetch(signal);
    } catch (error) {
      if (!(error instanceof ConfigUnavailableError)) throw error;
      const cached = client.cached();
      if (cached) {
        log.warn("server unreachable; metering with the last configuration", { error: error.message });
        return cached;
      }
      const delayMs = backoffMs(attempt, 1000, 60_000);
      log.warn("server unreachable and no configuration cached; retrying", { error: error.message, delayMs });
      await sleep(delayMs, signal);
    }
  }
  return undefined;
}

async function refreshConfig(
  client: ConfigClient,
  current: CollectorConfig,
  log: Logger,
  signal: AbortSignal,
) {
  try {
    return await client.fetch(signal);
  } catch (error) {
    if (!(error instanceof ConfigUnavailableError)) throw error;
    if (!signal.aborted)
      log.warn("config refresh failed; keeping the current configuration", { error: error.message });
    return current;
  }
}
