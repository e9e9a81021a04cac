/**
 * NAB's scoring rules (numenta/NAB nab/sweeper.py at ea702d7), written again in TypeScript so the product's
 * detector is scored by the same arithmetic as the published ones. Order of operations follows NAB's, so
 * sums come out bit for bit where NAB's do.
 */

export interface CostMatrix {
  tpWeight: number;
  fpWeight: number;
  fnWeight: number;
}

/** One row of a file as NAB sees it: its detection score if it were a detection, and its window. */
export interface SweepPoint {
  anomalyScore: number;
  sweepScore: number;
  /** `file|windowStart`, null outside windows, "probationary" in the first rows. */
  windowName: string | null;
  /** The first row of the window the row is in (also in probation), null outside windows. */
  windowStartRow: number | null;
}

export interface ThresholdScore {
  threshold: number;
  score: number;
  tp: number;
  tn: number;
  fp: number;
  fn: number;
  total: number;
}

const probationary = "probationary";

/**
 * A relative position of -1 is a window's left edge (≈ +0.987), 0 its right edge (0), positive positions
 * are after the window and tend to -1.
 */
export function scaledSigmoid(position: number): number {
  if (position > 3) return -1;
  return 2 / (1 + Math.exp(5 * position)) - 1;
}

/** NAB's probation: 15% of the rows, but never more than 15% of 5,000. */
export function probationaryLength(rows: number, probationPercent = 0.15): number {
  return Math.min(Math.floor(probationPercent * rows), probationPercent * 5000);
}

/**
 * Each row's NAB score as if it were a detection (`S(t)` in NAB's results files): inside a window, the
 * scaled sigmoid of its position weighted by A_TP; outside, A_FP weighted by its distance after the
 * preceding window (or the full A_FP before any window). Windows are [start, end] timestamps that must
 * be rows of the file.
 */
export function sweepScores(
  timestamps: readonly number[],
  anomalyScores: readonly number[],
  windows: readonly (readonly [number, number])[],
  fileName: string,
  cost: CostMatrix,
  probationPercent = 0.15,
): SweepPoint[] {
  if (timestamps.length !== anomalyScores.length) throw new Error(`${fileName}: scores and rows differ`);
  const indexOf = new Map<number, number>();
  timestamps.forEach((at, i) => {
    if (!indexOf.has(at)) indexOf.set(at, i);
  });
  const rowOf = (at: number) => {
    const row = indexOf.get(at);
    if (row === undefined)
      throw new Error(`${fileName}: window edge ${new Date(at).toISOString()} is no row`);
    return row;
  };
  const maxTp = scaledSigmoid(-1);
  const probation = probationaryLength(timestamps.length, probationPercent);
  const pending = [...windows];
  const points: SweepPoint[] = [];
  let current: { name: string; end: number; left: number; right: number; width: number } | null = null;
  let previous: { right: number; width: number } | null = null;

  for (let i = 0; i < timestamps.length; i++) {
    const at = timestamps[i]!;
    const next = pending[0];
    if (next && at === next[0]) {
      pending.shift();
      const right = rowOf(next[1]);
      const left = rowOf(next[0]);
      current = { name: `${fileName}|${next[0]}`, end: next[1], left, right, width: right - left + 1 };
    }
    let sweepScore: number;
    if (current) {
      sweepScore = (scaledSigmoid(-(current.right - i + 1) / current.width) * cost.tpWeight) / maxTp;
    } else {
      const unweighted = previous ? scaledSigmoid(Math.abs(previous.right - i) / (previous.width - 1)) : -1;
      sweepScore = unweighted * cost.fpWeight;
    }
    points.push({
      anomalyScore: anomalyScores[i]!,
      sweepScore,
      windowName: i >= probation ? (current?.name ?? null) : probationary,
      windowStartRow: current?.left ?? null,
    });
    if (current && at === current.end) {
      previous = { right: i, width: current.width };
      current = null;
    }
  }
  return points;
}

/**
 * The score at every distinct threshold, highest first: a row is a detection when its anomaly score is at
 * least the threshold; the first threshold (1.1) detects nothing. Only the best detection of a window
 * counts; a window with none costs A_FN; every detection outside windows adds its (negative) sweep score.
 */
export function scoresByThreshold(points: readonly SweepPoint[], cost: CostMatrix): ThresholdScore[] {
  // A stable sort by score, highest first, as NAB's sorted(..., reverse=True).
  const scorable = points
    .filter((point) => point.windowName !== probationary)
    .sort((a, b) => b.anomalyScore - a.anomalyScore);
  // Parts in NAB's order: "fp" first, then each window as first met in the sorted rows.
  const parts = new Map<string, number>([["fp", 0]]);
  for (const point of scorable) if (point.windowName !== null) parts.set(point.windowName, -cost.fnWeight);
  const total = () => {
    let sum = 0;
    for (const part of parts.values()) sum += part;
    return sum;
  };
  let tn = scorable.filter((point) => point.windowName === null).length;
  let fn = scorable.length - tn;
  let tp = 0;
  let fp = 0;
  let threshold = 1.1;
  const result: ThresholdScore[] = [];
  for (const point of scorable) {
    if (point.anomalyScore !== threshold) {
      result.push({ threshold, score: total(), tp, tn, fp, fn, total: tp + tn + fp + fn });
      threshold = point.anomalyScore;
    }
    if (point.windowName === null) {
      fp += 1;
      tn -= 1;
      parts.set("fp", parts.get("fp")! + point.sweepScore);
    } else {
      tp += 1;
      fn -= 1;
      parts.set(point.windowName, Math.max(parts.get(point.windowName)!, point.sweepScore));
    }
  }
  result.push({ threshold, score: total(), tp, tn, fp, fn, total: tp + tn + fp + fn });
  return result;
}

/** A file's score at a given threshold, picked from the sweep as NAB's scoreDataSet picks it. */
export function scoreAtThreshold(points: readonly SweepPoint[], cost: CostMatrix, threshold: number) {
  const rows = scoresByThreshold(points, cost);
  let previous: ThresholdScore | undefined;
  for (const row of rows) {
    if (row.threshold === threshold) return row;
    if (row.threshold < threshold) {
      if (!previous) throw new Error(`threshold ${threshold} is above 1.1: NAB finds no row for it`);
      return previous;
    }
    previous = row;
  }
  // Every row is a detection (NAB finds no row here and fails; its optimiser never picks such a threshold).
  return rows[rows.length - 1]!;
}

/**
 * Each row's share of a file's score at a threshold, as in NAB's results files (`S(t)_<profile>`): a
 * window's first row holds its best detection's score, or −A_FN when it has none; a detection outside
 * windows holds its own (negative) score; every other row 0. The rows sum to the file's score.
 */
export function rowScores(points: readonly SweepPoint[], cost: CostMatrix, threshold: number): number[] {
  const rows = new Array<number>(points.length).fill(0);
  const best = new Map<number, number>();
  points.forEach((point, i) => {
    if (point.windowName === probationary) return;
    const detected = point.anomalyScore >= threshold;
    if (point.windowName === null) {
      if (detected) rows[i] = point.sweepScore;
      return;
    }
    const start = point.windowStartRow!;
    const sofar = best.get(start) ?? -cost.fnWeight;
    best.set(start, detected ? Math.max(sofar, point.sweepScore) : sofar);
  });
  for (const [start, score] of best) rows[start] = score;
  return rows;
}

/** NAB's optimiser: the threshold with the best score over all files' rows together (the first of ties). */
export function optimizeThreshold(points: readonly SweepPoint[], cost: CostMatrix): ThresholdScore {
  const rows = scoresByThreshold(points, cost);
  // Python's sorted is stable, so the first row of the highest score wins.
  let best = rows[0]!;
  for (const row of rows) if (row.score > best.score) best = row;
  return best;
}

/**
 * NAB's normalisation: 100 × (score − null) / (perfect − null), where the null detector (never detects)
 * scores −A_FN per window and a perfect one +A_TP per window. NAB's runner counts "labels" in the file it is
 * given as labels, and run.py gives it combined_windows.json: so perfect is per window, not per labelled
 * instant (116 windows, 120 labels), and only so does final_results.json come out of the score tables.
 */
export function normalizeScore(score: number, windows: number, cost: CostMatrix): number {
  const nullScore = -cost.fnWeight * windows;
  return (100 * (score - nullScore)) / (windows * cost.tpWeight - nullScore);
}
