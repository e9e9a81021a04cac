import type { BenchmarkFile } from "./corpus.ts";
import {
  type CostMatrix,
  normalizeScore,
  optimizeThreshold,
  type SweepPoint,
  scoreAtThreshold,
  sweepScores,
  type ThresholdScore,
} from "./sweep.ts";

export interface CorpusScore {
  threshold: number;
  /** NAB's raw total, and normalised (100 perfect, 0 the null detector) over the files scored. */
  raw: number;
  normalized: number;
  files: { name: string; score: ThresholdScore }[];
}

/**
 * Scores a detector's per-row anomaly scores over a set of files as NAB does: the threshold is the one
 * that maximises the total over these files (NAB's optimiser) unless one is given (a published one).
 */
export function scoreCorpus(
  files: readonly BenchmarkFile[],
  anomalyScores: ReadonlyMap<string, readonly number[]>,
  cost: CostMatrix,
  threshold?: number,
): CorpusScore {
  const swept = files.map((file) => {
    const scores = anomalyScores.get(file.name);
    if (!scores) throw new Error(`no anomaly scores for ${file.name}`);
    return { file, points: sweepScores(file.timestamps, scores, file.windows, file.name, cost) };
  });
  const all: SweepPoint[] = swept.flatMap(({ points }) => points);
  const chosen = threshold ?? optimizeThreshold(all, cost).threshold;
  const perFile = swept.map(({ file, points }) => ({
    name: file.name,
    score: scoreAtThreshold(points, cost, chosen),
  }));
  const raw = perFile.reduce((sum, { score }) => sum + score.score, 0);
  const windows = files.reduce((sum, file) => sum + file.windows.length, 0);
  return { threshold: chosen, raw, normalized: normalizeScore(raw, windows, cost), files: perFile };
}
