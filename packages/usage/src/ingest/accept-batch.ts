import { AppError } from "@meterplane/core";
import type { Database } from "@meterplane/db";
import {
  type Batch,
  canonicalBatch,
  countSamples,
  decodeStoredBatch,
  dimensionKey,
  storedBatchBody,
} from "@meterplane/wire";
import { insertBatch } from "./insert-batches.ts";

/** How far ahead of the server's clock a sample may start (clock skew), and how late it may arrive. */
export const maxFutureSkewMs = 5 * 60 * 1000;
export const defaultLateWindowMs = 7 * 24 * 3600 * 1000;

/**
 * Values above this many integer digits are refused: value × seconds and a day's sums must still fit the
 * rollups' DECIMAL(38, 12) (26 integer digits), or a stored batch could never be aggregated.
 */
const maxValueDigits = 20;

/**
 * A series' Σ value and Σ value × seconds within one batch must stay below the rollups' DECIMAL(38, 12)
 * (1e26) with room to spare, or the batch alone would overflow its rollup row: refused here, where it can be
 * seen, rather than stored and dead-lettered by the worker. (Several batches that fit alone can still
 * overflow a rollup together; the worker sets such a batch aside after a few tries.) Summed as floats: the
 * bound is far from where their rounding matters.
 */
const maxSeriesTotal = 1e25;

export interface AcceptedBatch {
  batchId: string;
  receivedAt: Date;
  status: "accepted" | "duplicate";
  dropped?: DroppedSamples[];
}

export interface AcceptBatchOptions {
  db: Database;
  hostId: string;
  batch: Batch;
  /**
   * The batch exactly as the collector sent it, gzip-compressed: stored as is (no re-encoding on the hot
   * path), and what a replay is compared with. Without it the batch is compressed here.
   */
  body?: Buffer;
  /**
   * A recent `loadHostEnvironments` of this host (a web process keeps one with its credential cache).
   * A sample naming an environment missing from it makes this reload them, so a new environment is never
   * refused; one removed since the snapshot is refused once the snapshot is renewed.
   */
  environments?: HostEnvironments;
  now?: Date;
  lateWindowMs?: number;
}

/** What storing and acknowledging a checked batch need of it: no sample, only the body it came in. */
export interface CheckedBatch {
  hostId: string;
  sequence: number;
  collectorVersion: string;
  sampleCount: number;
  /** The tenants its samples belong to. */
  tenantIds: string[];
  /** Gzip, as sent (or as kept, when samples outside this host's assignments were dropped). */
  body: Buffer;
  dropped?: DroppedSamples[];
}

/**
 * Stores a validated batch durably, exactly once per (host, sequence), before anything is acknowledged.
 * Every sample must belong to an environment of this host and fall inside the accepted time window;
 * otherwise nothing is stored. The batch row lists the tenants its samples belong to.
 */
export async function acceptBatch(options: AcceptBatchOptions): Promise<AcceptedBatch> {
  return storeBatch({ db: options.db, checked: await checkBatch(options) });
}

/**
 * `acceptBatch`'s checks, keeping of the batch only what storing it needs. Ingest lets go of the parsed
 * batch here rather than across the insert's round trip: with several requests in flight, their ~100 KB of
 * strings each were copied by every scavenge of a 2 MB young generation and then promoted. With
 * `environments` that know every series' environment this returns without awaiting anything.
 */
export async function checkBatch({
  db,
  hostId,
  batch,
  body,
  environments,
  now = new Date(),
  lateWindowMs = defaultLateWindowMs,
}: AcceptBatchOptions): Promise<CheckedBatch> {
  const window = { earliest: now.getTime() - lateWindowMs, latest: now.getTime() + maxFutureSkewMs };
  let known = environments ?? (await loadHostEnvironments(db, hostId));
  let checked = checkSamples(batch, known, window);
  if ((checked.unknown.size || checked.unassigned.size) && environments) {
    known = await loadHostEnvironments(db, hostId);
    checked = checkSamples(batch, known, window);
  }
  const { unknown, unassigned, tenantIds } = checked;
  if (unknown.size) {
    throw new AppError("UNKNOWN_ENVIRONMENT", `not environments of this host: ${[...unknown].join(", ")}`, {
      environmentIds: [...unknown],
    });
  }
  let stored = batch;
  let dropped: DroppedSamples[] | undefined;
  if (unassigned.size) {
    ({ batch: stored, dropped } = dropUnassigned(batch, known, unassigned));
    if (stored.series.length === 0)
      throw new AppError("ENVIRONMENT_NOT_ASSIGNED", unassignedReason(unassigned), {
        environmentIds: [...unassigned],
      });
    for (const series of stored.series) {
      const tenantId = known.get(series.environmentId)?.tenantId;
      if (tenantId) tenantIds.add(tenantId);
    }
  }
  return {
    hostId,
    sequence: batch.sequence,
    collectorVersion: batch.collectorVersion,
    sampleCount: countSamples(stored),
    tenantIds: [...tenantIds],
    // A batch kept in part is stored as kept: a replay is filtered the same way and compares equal.
    body: stored === batch ? (body ?? storedBatchBody(batch)) : storedBatchBody(stored),
    ...(dropped && { dropped }),
  };
}

/** Samples a batch held that were not stored: an environment's, outside this host's assignment. */
export interface DroppedSamples {
  environmentId: string;
  samples: number;
  reason: string;
}

const unassignedReason = (ids: Iterable<string>) =>
  `samples outside the time this host meters these environments (they moved to or from another host then): ${[...ids].join(", ")}`;

/**
 * The batch without the points of moved environments that lie outside this host's assignments: those
 * belong to another host's time, so they are dropped (and said so in the answer), never counted twice; the
 * rest of the batch, other environments' samples included, is kept.
 */
function dropUnassigned(
  batch: Batch,
  environments: HostEnvironments,
  unassigned: Set<string>,
): { batch: Batch; dropped: DroppedSamples[] } {
  const dropped = new Map<string, number>();
  const series: Batch["series"] = [];
  for (const one of batch.series) {
    const environment = environments.get(one.environmentId);
    if (!environment || !unassigned.has(one.environmentId)) {
      series.push(one);
      continue;
    }
    const keep: number[] = [];
    for (let i = 0; i < one.starts.length; i++) {
      const start = Date.parse(one.starts[i]!);
      if (withinSpans(environment, start, start + one.seconds[i]! * 1000)) keep.push(i);
    }
    dropped.set(one.environmentId, (dropped.get(one.environmentId) ?? 0) + one.starts.length - keep.length);
    if (keep.length)
      series.push({
        ...one,
        starts: keep.map((i) => one.starts[i]!),
        seconds: keep.map((i) => one.seconds[i]!),
        values: keep.map((i) => one.values[i]!),
      });
  }
  return {
    batch: { ...batch, series },
    dropped: [...dropped].map(([environmentId, samples]) => ({
      environmentId,
      samples,
      reason: unassignedReason([environmentId]),
    })),
  };
}

/** Stores a checked batch, or recognises it as a replay of the batch stored under its sequence. */
export async function storeBatch({
  db,
  checked,
}: {
  db: Database;
  checked: CheckedBatch;
}): Promise<AcceptedBatch> {
  const inserted = await insertBatch(db, checked);
  const dropped = checked.dropped && { dropped: checked.dropped };
  if (inserted) return { ...inserted, status: "accepted", ...dropped };
  const existing = await db.pool.query<{ batchId: string; receivedAt: Date; body: Buffer | null }>(
    `SELECT k."batchId", k."receivedAt", b.body FROM "BatchKey" k
       LEFT JOIN "SampleBatch" b ON b.id = k."batchId" AND b."receivedAt" = k."receivedAt"
      WHERE k."hostId" = $1 AND k."sequence" = $2`,
    [checked.hostId, checked.sequence],
  );
  const previous = existing.rows[0];
  if (!previous) throw new AppError("CONFLICT", "the same batch is being stored concurrently; retry");
  // A replay carries the samples stored under its sequence. Other samples under a used sequence come from a
  // collector that lost its state (reinstalled, or its state directory reset): acknowledging them as a
  // duplicate would drop them unseen. (A batch past retention can no longer be compared, and counts as a replay.)
  if (previous.body && !sameSamples(previous.body, checked.body))
    throw new AppError(
      "SEQUENCE_REUSED",
      `sequence ${checked.sequence} of this host already holds other samples; the collector's sequence must continue past the host's last batch`,
    );
  return { batchId: previous.batchId, receivedAt: previous.receivedAt, status: "duplicate", ...dropped };
}

/**
 * The instant a sample starts, refusing what JavaScript would silently roll over (`02-30` becomes March 2)
 * or cannot represent (leap second `:60`): Postgres would read those differently or not at all, and a batch
 * it cannot aggregate must never be acknowledged.
 */
function parseStart(start: string, series: number, point: number): number {
  const at = Date.parse(start);
  if (!Number.isFinite(at) || new Date(at).toISOString().slice(0, 19) !== start.slice(0, 19))
    throw new AppError("VALIDATION_FAILED", `series[${series}].starts[${point}] is not a valid UTC instant`);
  return at;
}

/**
 * An environment as ingest checks a host's samples of it: its tenant, when it was removed, and — once it has
 * moved between hosts — the spans this host meters it in, half-open `[from, to)` in epoch milliseconds
 * (null: unbounded). An environment that never moved has no spans and belongs to its host throughout.
 */
export interface HostEnvironment {
  id: string;
  tenantId: string;
  removedAt: Date | null;
  spans?: { from: number | null; to: number | null }[];
}
export type HostEnvironments = Map<string, HostEnvironment>;

/** The environments of a host, removed ones included (a sample from before the removal still counts). */
export async function loadHostEnvironments(db: Database, hostId: string): Promise<HostEnvironments> {
  const { rows } = await db.pool.query<{
    id: string;
    tenantId: string;
    removedAt: Date | null;
    validFrom: Date | null;
    validTo: Date | null;
    moved: boolean;
  }>(
    // Two index lookups by host, not one join with OR: that form scanned every environment of every
    // tenant (20 ms at 60,000 environments, 0.3 ms this way), once for each host a web process loads.
    `SELECT e.id, e."tenantId", e."removedAt", a."validFrom", a."validTo", true AS moved
       FROM "EnvironmentAssignment" a
       JOIN "Environment" e ON e."tenantId" = a."tenantId" AND e.id = a."environmentId"
      WHERE a."hostId" = $1
     UNION ALL
     SELECT e.id, e."tenantId", e."removedAt", NULL, NULL, false
       FROM "Environment" e
      WHERE e."hostId" = $1 AND NOT EXISTS (
              SELECT 1 FROM "EnvironmentAssignment" x WHERE x."tenantId" = e."tenantId" AND x."environmentId" = e.id)`,
    [hostId],
  );
  const environments: HostEnvironments = new Map();
  for (const row of rows) {
    const environment = environments.get(row.id) ?? {
      id: row.id,
      tenantId: row.tenantId,
      removedAt: row.removedAt,
    };
    if (row.moved) {
      environment.spans ??= [];
      environment.spans.push({ from: row.validFrom?.getTime() ?? null, to: row.validTo?.getTime() ?? null });
    }
    environments.set(row.id, environment);
  }
  return environments;
}

/**
 * Whether a sample `[start, end)` lies within one of the spans this host meters a moved environment in: a
 * host's samples never reach into another host's span, so no interval is billed twice.
 */
function withinSpans(environment: HostEnvironment, start: number, end: number): boolean {
  const { spans } = environment;
  if (!spans) return true;
  return spans.some(({ from, to }) => (from === null || start >= from) && (to === null || end <= to));
}

/**
 * Checks every sample against the window and the host's environments: a bad value or instant refuses the
 * batch at once; series of environments not (or no longer) the host's are collected in `unknown`. Errors
 * name the point by its path in the series form, e.g. `series[2].starts[5]` (for a flat batch, the series
 * form it was converted to).
 */
function checkSamples(
  batch: Batch,
  environments: HostEnvironments,
  { earliest, latest }: { earliest: number; latest: number },
): { unknown: Set<string>; unassigned: Set<string>; tenantIds: Set<string> } {
  const unknown = new Set<string>();
  const unassigned = new Set<string>();
  const tenantIds = new Set<string>();
  // A batch's samples share a handful of start instants: parse each once.
  const parsedStarts = new Map<string, number>();
  for (const [s, { environmentId, starts, seconds, values }] of batch.series.entries()) {
    const environment = environments.get(environmentId);
    const removedAt = environment?.removedAt?.getTime() ?? Number.POSITIVE_INFINITY;
    let afterRemoval = false;
    let outside = false;
    let total = 0;
    let integral = 0;
    for (let i = 0; i < starts.length; i++) {
      const text = starts[i]!;
      let start = parsedStarts.get(text);
      if (start === undefined) {
        start = parseStart(text, s, i);
        parsedStarts.set(text, start);
      }
      const value = values[i]!;
      const point = value.indexOf(".");
      if ((point < 0 ? value.length : point) > maxValueDigits)
        throw new AppError(
          "VALIDATION_FAILED",
          `series[${s}].values[${i}] is larger than 1e${maxValueDigits}`,
        );
      if (start < earliest)
        throw new AppError(
          "VALIDATION_FAILED",
          `series[${s}].starts[${i}] is older than the late-data window`,
        );
      if (start + seconds[i]! * 1000 > latest)
        throw new AppError("VALIDATION_FAILED", `series[${s}].starts[${i}] + seconds[${i}] is in the future`);
      if (start >= removedAt) afterRemoval = true;
      if (environment && !withinSpans(environment, start, start + seconds[i]! * 1000)) outside = true;
      // Only values with many digits can get near the bound: most skip the float parse.
      if (value.length > 12) {
        const amount = Number(value);
        total += amount;
        integral += amount * seconds[i]!;
      }
    }
    if (total >= maxSeriesTotal || integral >= maxSeriesTotal)
      throw new AppError(
        "VALIDATION_FAILED",
        `series[${s}] sums to more than its rollups can hold (1e25 as a sum, or as value × seconds): split it over more batches`,
      );
    if (!environment || afterRemoval) unknown.add(environmentId);
    else if (outside) unassigned.add(environmentId);
    else tenantIds.add(environment.tenantId);
  }
  return { unknown, unassigned, tenantIds };
}

/**
 * Whether two stored bodies hold the same samples in the same order (dimension keys in any order, starts at
 * any precision). Both are read in the series form, so a flat batch replayed flat compares equal: its stored
 * body groups into series exactly as the resent one does.
 */
function sameSamples(stored: Buffer, sent: Buffer): boolean {
  const text = (body: Buffer) =>
    canonicalBatch(decodeStoredBatch(body))
      .samples.map(
        (s) =>
          `${s.environmentId} ${s.meter} ${s.start} ${s.seconds} ${s.value} ${dimensionKey(s.dimensions)}`,
      )
      .join("\n");
  return text(stored) === text(sent);
}
