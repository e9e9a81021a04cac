import type { Database } from "@meterplane/db";
import {
  type AggregatedBatches,
  aggregateBatches,
  type BatchRef,
  retryableCodes,
} from "./aggregate-batches.ts";
import { recordAggregationFailure } from "./record-aggregation-failure.ts";

export interface GroupResult extends AggregatedBatches {
  groupSize: number;
  seconds: number;
}

export interface AggregationGroups {
  /** Resolves once the batch is aggregated (by this group or, earlier, by anyone); rejects if it cannot be. */
  add(ref: BatchRef): Promise<void>;
  /** When the oldest batch in hand, waiting or being aggregated, was stored (epoch ms); undefined if none. */
  oldestWaiting(): number | undefined;
}

/**
 * Folds batch refs that arrive a few at a time (queue jobs) into few transactions: while `parallel`
 * transactions run, new refs wait, and the next one takes up to `maxBatches` of them at once. An idle
 * pipeline therefore aggregates a lone batch at once, and a busy one in large groups. A group's cost is
 * mostly its upsert, one row per series-hour it touches however many of its batches carry that series:
 * so under load a group folds everything that arrived while the previous one ran — a window of the whole
 * fleet's batches — and its cost is bounded by the fleet's series, not by its batches. The busier the
 * pipeline, the wider the window and the more samples each upserted row stands for.
 *
 * A fleet sends on one wall-clock tick, so a window as long as one transaction rarely spans two of a
 * series' samples: each series-hour would be written once per interval, and the cost would follow the
 * batches again. So once a group takes longer than `busyGroupMs` (a pipeline that small batches no longer
 * keep idle), the next one starts `foldWindowMs` after it, or as soon as it ends if it took longer than
 * that. A window of four 10 s intervals (the default) writes each series-hour once for four samples: a
 * group's cost stops growing with the window while the samples it covers keep growing. Rollups are then at
 * most a window and a transaction old.
 *
 * A group fails whole (it is one transaction), so a group that fails for a reason other than a deadlock
 * or an outage is retried batch by batch: one batch that cannot be aggregated fails alone and never holds
 * the others back, and after `maxAggregationAttempts` such failures it is dead-lettered (set aside).
 */
/**
 * `lanes` sets of aggregation groups, one transaction at a time each, every host's batches always in the
 * same lane. Two transactions of one set write the same series-hours (the next window is the same hosts'
 * next batches), so the second's upsert waited on the first's row locks and Postgres ran one upsert at a
 * time; lanes of disjoint hosts write disjoint series (and environments), so their upserts run side by
 * side and meet only on the few fleet rows, which both take in key order. A ref without its host (a job
 * queued by an older web process) goes by its batch id.
 *
 * Busy lanes take turns: lane k's windows start on its own slots, every `foldWindowMs` at k shares of
 * `foldWindowMs / lanes` of one clock. A group is serial, the worker's fold (one thread for every lane)
 * and then Postgres's upsert; lanes whose windows started together folded together, at half speed each,
 * while Postgres waited, and then upserted together while the worker waited. Staggered, one lane folds
 * while the other upserts. Slots, not turns taken after another lane's start: lanes that turned busy
 * together were pushed back a share each, so the last waited almost two windows (a fleet step from idle,
 * 30 s window, four lanes: a batch's wait for its group p99 47 s), where a slot comes within one window.
 */
export function createHostLanes({
  lanes,
  ...options
}: Parameters<typeof createAggregationGroups>[0] & { lanes: number }): AggregationGroups {
  const share = (options.foldWindowMs ?? defaultFoldWindowMs) / lanes;
  const groups = Array.from({ length: lanes }, (_, lane) =>
    createAggregationGroups({ ...options, parallel: 1, slotPhaseMs: lane * share }),
  );
  return {
    add(ref) {
      return groups[laneOf(ref.hostId ?? ref.batchId, lanes)]!.add(ref);
    },
    oldestWaiting() {
      return earliest(groups.map((group) => group.oldestWaiting()));
    },
  };
}

const earliest = (instants: (number | undefined)[]): number | undefined => {
  let first: number | undefined;
  for (const at of instants) if (at !== undefined && (first === undefined || at < first)) first = at;
  return first;
};

/** FNV-1a of the id, modulo `lanes`: stable across processes, so a host keeps its lane after a restart. */
export function laneOf(id: string, lanes: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % lanes;
}

const defaultFoldWindowMs = 40_000;

/** The first instant after `after` at `phaseMs` plus a whole number of windows (of `performance.now()`). */
function nextSlot(after: number, windowMs: number, phaseMs: number): number {
  return phaseMs + windowMs * (Math.floor((after - phaseMs) / windowMs) + 1);
}

export function createAggregationGroups({
  db,
  maxBatches = 20_000,
  parallel = 1,
  lingerMs = 100,
  quietMs = 15,
  busyGroupMs = 1000,
  foldWindowMs = defaultFoldWindowMs,
  slotPhaseMs,
  onGroup,
  onGroupFailed,
  onDeadLetter,
}: {
  db: Database;
  maxBatches?: number;
  parallel?: number;
  /**
   * While batches keep arriving, a group starts at most this often (unless `maxBatches` are waiting): a
   * group's cost is mostly its rollup upsert, one row per series and hour touched, however many batches it
   * folds (480 batches in groups of 10 cost Postgres 530 ms of CPU, in groups of 40 150 ms, of 120 70 ms).
   * Once none has arrived for `quietMs`, what waits goes at once, so a lone batch, or the last of a burst,
   * is held back only that long. (At 500 ms, the last group of a burst was large enough to take 0.4 s.)
   */
  lingerMs?: number;
  quietMs?: number;
  busyGroupMs?: number;
  foldWindowMs?: number;
  /**
   * A lane's place among lanes (`createHostLanes`): its busy windows start only at this phase plus whole
   * windows, the first slot after the previous start, so lanes stay staggered and no batch waits more
   * than a window for its group. Without it, a busy window starts a window after the previous start.
   */
  slotPhaseMs?: number;
  onGroup?: (result: GroupResult) => void;
  /** A group that failed whole, before its batches are retried one by one. */
  onGroupFailed?: (failure: { groupSize: number; error: unknown }) => void;
  /** A batch set aside after failing `maxAggregationAttempts` times on its own. */
  onDeadLetter?: (failure: { batch: BatchRef; reason: string }) => void;
}): AggregationGroups {
  type Waiter = { ref: BatchRef; receivedMs: number; resolve: () => void; reject: (error: unknown) => void };
  const pending: Waiter[] = [];
  /** The oldest batch of each group running, by when it was stored. */
  const runningOldest = new Set<{ at: number | undefined }>();
  // Read once per anomaly-scan chunk over up to a whole window of waiters: a loop, no copy of them.
  const oldestOf = (waiters: Waiter[]) => {
    let first: number | undefined;
    for (const { receivedMs } of waiters) if (first === undefined || receivedMs < first) first = receivedMs;
    return first;
  };
  let running = 0;
  let lastStart = Number.NEGATIVE_INFINITY;
  let lastArrival = Number.NEGATIVE_INFINITY;
  let lastGroupMs = 0;
  let lingerTimer: NodeJS.Timeout | undefined;

  async function aggregate(group: Waiter[]) {
    const started = performance.now();
    const result = await aggregateBatches({ db, batches: group.map((w) => w.ref) });
    lastGroupMs = performance.now() - started;
    onGroup?.({ ...result, groupSize: group.length, seconds: lastGroupMs / 1000 });
  }

  async function run(group: Waiter[]) {
    const oldest = { at: oldestOf(group) };
    runningOldest.add(oldest);
    try {
      await aggregate(group);
      for (const waiter of group) waiter.resolve();
    } catch (error) {
      // Postgres away fails every batch alike: no use trying them one by one.
      if (db.unreachable(error)) {
        for (const waiter of group) waiter.reject(error);
        return;
      }
      const [alone] = group;
      if (group.length > 1 || !alone) {
        onGroupFailed?.({ groupSize: group.length, error });
        for (const waiter of group) await run([waiter]);
        return;
      }
      await failedAlone(alone, error);
    } finally {
      runningOldest.delete(oldest);
    }
  }

  /** A batch that failed by itself: counted, and set aside (resolving its waiter) once it has failed enough. */
  async function failedAlone(waiter: Waiter, error: unknown) {
    if (retryableCodes.has((error as { code?: string }).code ?? "")) return waiter.reject(error);
    const reason = error instanceof Error ? error.message : String(error);
    try {
      if (!(await recordAggregationFailure({ db, batch: waiter.ref, reason }))) return waiter.reject(error);
    } catch {
      // Not recorded (Postgres went away meanwhile): the job retries, and the next failure is counted.
      return waiter.reject(error);
    }
    onDeadLetter?.({ batch: waiter.ref, reason });
    waiter.resolve();
  }

  function pump() {
    while (running < parallel && pending.length) {
      // A light pipeline (short groups) lets a lone batch, or the last of a burst, go once it is quiet.
      const busy = lastGroupMs > busyGroupMs;
      const wait =
        (busy
          ? slotPhaseMs === undefined || foldWindowMs === 0
            ? lastStart + foldWindowMs
            : nextSlot(lastStart, foldWindowMs, slotPhaseMs)
          : Math.min(lastStart + lingerMs, lastArrival + quietMs)) - performance.now();
      if (wait > 0 && pending.length < maxBatches) {
        if (!lingerTimer)
          lingerTimer = setTimeout(() => {
            lingerTimer = undefined;
            pump();
          }, wait);
        return;
      }
      lastStart = performance.now();
      running++;
      void run(pending.splice(0, maxBatches)).finally(() => {
        running--;
        pump();
      });
    }
  }

  return {
    add(ref) {
      return new Promise<void>((resolve, reject) => {
        pending.push({ ref, receivedMs: new Date(ref.receivedAt).getTime(), resolve, reject });
        lastArrival = performance.now();
        pump();
      });
    },
    oldestWaiting() {
      return earliest([oldestOf(pending), ...[...runningOldest].map((group) => group.at)]);
    },
  };
}
