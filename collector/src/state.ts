import { readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import {
  type Batch,
  batchOfFlat,
  batchSchema,
  type EnvironmentHandover,
  environmentHandoverSchema,
  flatBatchSchema,
} from "@meterplane/wire";
import { z } from "zod";
import type { RunningTotal } from "./environments/running-total.ts";
import { writeFileAtomic } from "./fs-atomic.ts";
import { parseJsonOrUndefined } from "./json.ts";
import type { Logger } from "./log.ts";

/**
 * What the sampler must remember across restarts: each counter's last reading and its source (so a
 * restart neither loses nor re-counts a delta), the running totals built from processes and sockets,
 * the pinned start time of pid: roots, and the batches of the last tick. Those batches are written here
 * first and then to the spool: this file is the commit point, so a crash between the two is repaired at
 * start-up by spooling them again (the server recognises a re-sent sequence). When an environment moves
 * between hosts: what this host handed over when it moved off (`handoffs`, until the server has it), and
 * the instant from which it took one over (`takenOver`, once its counters' baselines are settled).
 */
export interface CollectorState {
  counters: Map<string, { value: bigint; at: number; source?: string }>;
  totals: Map<string, RunningTotal>;
  roots: Map<string, string>;
  pending: Batch[];
  handoffs: Map<string, { handover: EnvironmentHandover; posted: boolean }>;
  takenOver: Map<string, number>;
  /** The last tick committed: a restarted collector meters from there (see `Sampler.sample`'s `since`). */
  lastTick?: number;
}

const integer = z.string().regex(/^\d+$/).transform(BigInt);
const stateFileSchema = z.object({
  counters: z.record(z.string(), z.object({ value: integer, at: z.number(), source: z.string().optional() })),
  totals: z.record(
    z.string(),
    z.object({
      retired: integer,
      live: z.record(z.string(), integer),
      parents: z.record(z.string(), z.string()),
    }),
  ),
  roots: z.record(z.string(), z.string()),
  // State written by 0.1.0 holds flat batches. In the series form they hold the same samples in the same
  // order as the server reads the flat one, so a re-sent converted batch is still recognised as a replay.
  pending: z.array(z.union([batchSchema, flatBatchSchema.transform(batchOfFlat)])),
  // Written since 0.3.0.
  handoffs: z
    .record(z.string(), z.object({ handover: environmentHandoverSchema, posted: z.boolean() }))
    .default({}),
  takenOver: z.record(z.string(), z.number()).default({}),
  lastTick: z.number().optional(),
});

export function emptyState(): CollectorState {
  return {
    counters: new Map(),
    totals: new Map(),
    roots: new Map(),
    pending: [],
    handoffs: new Map(),
    takenOver: new Map(),
  };
}

export function loadState(stateDir: string, log: Logger): CollectorState {
  const path = join(stateDir, "state.json");
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return emptyState();
    throw error;
  }
  const parsed = stateFileSchema.safeParse(parseJsonOrUndefined(text));
  if (!parsed.success) {
    // Writes are atomic, so this is damage from outside. Keep the file for inspection and start over:
    // counters take a fresh baseline (one interval of counter deltas is lost, nothing is counted twice).
    const aside = `${path}.corrupt-${Date.now()}`;
    renameSync(path, aside);
    log.error("state file unreadable, starting with fresh baselines", {
      path: aside,
      issues: parsed.error.issues,
    });
    return emptyState();
  }
  const file = parsed.data;
  return {
    counters: new Map(Object.entries(file.counters)),
    totals: new Map(
      Object.entries(file.totals).map(([key, total]) => [
        key,
        {
          retired: total.retired,
          live: new Map(Object.entries(total.live)),
          parents: new Map(Object.entries(total.parents)),
        },
      ]),
    ),
    roots: new Map(Object.entries(file.roots)),
    pending: file.pending,
    handoffs: new Map(Object.entries(file.handoffs)),
    takenOver: new Map(Object.entries(file.takenOver)),
    ...(file.lastTick !== undefined ? { lastTick: file.lastTick } : {}),
  };
}

export function saveState(stateDir: string, state: CollectorState): void {
  const file = {
    counters: Object.fromEntries(
      [...state.counters].map(([key, { value, at, source }]) => [
        key,
        { value: value.toString(), at, source },
      ]),
    ),
    totals: Object.fromEntries(
      [...state.totals].map(([key, total]) => [
        key,
        {
          retired: total.retired.toString(),
          live: Object.fromEntries([...total.live].map(([part, value]) => [part, value.toString()])),
          parents: Object.fromEntries(total.parents),
        },
      ]),
    ),
    roots: Object.fromEntries(state.roots),
    pending: state.pending,
    handoffs: Object.fromEntries(state.handoffs),
    takenOver: Object.fromEntries(state.takenOver),
    lastTick: state.lastTick,
  };
  writeFileAtomic(join(stateDir, "state.json"), JSON.stringify(file));
}
