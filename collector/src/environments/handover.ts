import { readFileSync } from "node:fs";
import type { EnvironmentHandover } from "@meterplane/wire";
import type { Logger } from "../log.ts";
import type { CollectorState } from "../state.ts";
import { hourStart, isoSeconds } from "../time.ts";
import type { EnvironmentConfig } from "./scope.ts";

/**
 * How long a host that takes an environment over holds its counters at the move's instant, waiting for the
 * previous host's hand-over (posted right after its closing tick, fetched with the configuration, which
 * is refreshed every 30 s or interval): past this, or at the end of the hour, it continues from its own
 * reading at the instant.
 */
export const handoverWaitSeconds = 180;

/** The running kernel (it changes at every boot): readings continue across hosts only on the same one. */
export function readBootId(): string {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    return "unknown";
  }
}

const epoch = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso) / 1000);

/** The instants an environment's assignment to this host begins and ends at, in epoch seconds. */
export function spanOf(env: EnvironmentConfig): { from?: number; until?: number } {
  return { from: epoch(env.from), until: epoch(env.until) };
}

/**
 * Whether this host meters `env` at `tick`: not before its assignment begins, and not after it ends once
 * its closing readings are taken (a tick past the end that comes first still closes it, late).
 */
export function metersAt(state: CollectorState, env: EnvironmentConfig, tick: number): boolean {
  const { from, until } = spanOf(env);
  if (from !== undefined && tick < from) return false;
  return until === undefined || !state.handoffs.has(env.id);
}

/**
 * Settles the counters of an environment this host takes over at `from`, and says whether they are still
 * held (each counter keeps its baseline and yields nothing meanwhile, so what accrues is counted once it is
 * settled). The previous host's closing readings replace this host's own baselines when both hosts read
 * the same kernel objects (same boot, and every counter from the same source): the readings then meet
 * exactly and nothing between the two hosts' reads is lost or counted twice. Otherwise this host's own
 * reading at the instant stands: on another machine it is a different counter, read at the instant.
 */
export function takeOver(
  state: CollectorState,
  env: EnvironmentConfig,
  tick: number,
  bootId: string,
  log: Logger,
): boolean {
  const { from } = spanOf(env);
  if (from === undefined || state.takenOver.get(env.id) === from) return false;
  const prefix = `${env.id}/`;
  const own = [...state.counters].filter(([key]) => key.startsWith(prefix));
  const handover = env.handover && epoch(env.handover.at) === from ? env.handover : undefined;
  // Settled by the hour's end at the latest: the first delta then covers [from, tick) within one hour rather
  // than being cut at the hour (which would leave the slots before it without a sample).
  const expired = tick >= Math.min(from + handoverWaitSeconds, hourStart(from) + 3600);
  if (!expired && (!handover || own.length === 0)) return true;
  const continued =
    handover !== undefined &&
    handover.bootId === bootId &&
    own.length > 0 &&
    own.every(([key, reading]) => {
      const handed = handover.counters[key.slice(prefix.length)];
      return handed !== undefined && handed.source === reading.source;
    });
  if (handover && continued) {
    for (const [key, { value, source }] of Object.entries(handover.counters))
      state.counters.set(prefix + key, { value: BigInt(value), at: from, ...(source ? { source } : {}) });
    for (const [name, total] of Object.entries(handover.totals))
      state.totals.set(prefix + name, {
        retired: BigInt(total.retired),
        live: new Map(Object.entries(total.live).map(([part, value]) => [part, BigInt(value)])),
        parents: new Map(Object.entries(total.parents)),
      });
  }
  state.takenOver.set(env.id, from);
  log.info("environment taken over", {
    environmentId: env.id,
    from: isoSeconds(from),
    baselines: continued
      ? "handed over"
      : handover
        ? "own (another kernel object)"
        : "own (no hand-over came)",
  });
  return false;
}

/**
 * Closes an environment that moves off this host at `until`: its last readings (taken at this tick) leave
 * the state and become the hand-over the next host may continue from.
 */
export function handOff(
  state: CollectorState,
  env: EnvironmentConfig,
  until: number,
  bootId: string,
  log: Logger,
): void {
  const prefix = `${env.id}/`;
  const handover: EnvironmentHandover = {
    environmentId: env.id,
    at: new Date(until * 1000).toISOString(),
    bootId,
    counters: {},
    totals: {},
  };
  for (const [key, { value, source }] of state.counters)
    if (key.startsWith(prefix)) {
      handover.counters[key.slice(prefix.length)] = {
        value: value.toString(),
        ...(source ? { source } : {}),
      };
      state.counters.delete(key);
    }
  for (const [key, total] of state.totals)
    if (key.startsWith(prefix)) {
      handover.totals[key.slice(prefix.length)] = {
        retired: total.retired.toString(),
        live: Object.fromEntries([...total.live].map(([part, value]) => [part, value.toString()])),
        parents: Object.fromEntries(total.parents),
      };
      state.totals.delete(key);
    }
  state.roots.delete(env.id);
  state.handoffs.set(env.id, { handover, posted: false });
  log.info("environment handed off", { environmentId: env.id, until: isoSeconds(until) });
}
