import { readdirSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { type BenchmarkFile, benchmarkDir, type ProfileName, readCsv, readJson } from "./corpus.ts";
import type { CostMatrix } from "./sweep.ts";

/**
 * The published detectors' per-file score tables (NAB's `results/<detector>/<detector>_<profile>_scores.csv`,
 * kept in `benchmark/published-scores`): each file's raw score and counts at the detector's threshold, which
 * NAB optimised once over the whole corpus. Their per-row outputs are not kept (hundreds of MB); these
 * tables are enough to score a detector on any subset of the corpus, at that whole-corpus threshold.
 */
export interface PublishedFileScore {
  threshold: number;
  score: number;
  /** NAB's counts are of rows: detections in windows (tp), outside them (fp), window rows missed (fn). */
  tp: number;
  fp: number;
  fn: number;
}

const dir = join(benchmarkDir, "published-scores");

/**
 * Every detector with score tables, apart from the null detector (the normalisation's baseline) and the
 * random one: its tables lack nyc_taxi and do not add up to its entry in final_results.json (another run).
 */
export function publishedDetectors(): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== "null" && entry.name !== "random")
    .map((entry) => entry.name)
    .sort();
}

/** A detector's score per file for a profile (the table's `Totals` row left out). */
export function readPublishedFileScores(
  detector: string,
  profile: ProfileName,
): Map<string, PublishedFileScore> {
  const rows = readCsv(join(dir, detector, `${detector}_${profile}_scores.csv`));
  return new Map(
    rows
      .filter((row) => row.Detector !== "Totals")
      .map((row) => [
        row.File!,
        {
          threshold: Number(row.Threshold),
          score: Number(row.Score),
          tp: Number(row.TP),
          fp: Number(row.FP),
          fn: Number(row.FN),
        },
      ]),
  );
}

const finalResultsSchema = z.record(z.string(), z.record(z.string(), z.number()));

/** NAB's published normalised whole-corpus scores (`results/final_results.json`). */
export function readFinalResults(): Record<string, Record<string, number>> {
  return finalResultsSchema.parse(readJson("published-scores/final_results.json"));
}

/**
 * A published detector's score on a subset of the corpus, normalised as NAB's runner normalises the whole
 * corpus: 100 × (raw − null) / (perfect − null), where raw and null are the sums of the detector's and the
 * null detector's per-file scores over the subset, and perfect is A_TP per window in the subset.
 * The threshold stays the one NAB optimised over all 58 files: on a subset that is an advantage to it
 * (it was chosen knowing those files), never a handicap a re-optimised threshold would remove.
 */
export function publishedScoreOn(
  detector: string,
  profile: ProfileName,
  files: readonly BenchmarkFile[],
  cost: CostMatrix,
): { raw: number; normalized: number; tp: number; fp: number; fn: number } {
  const scores = readPublishedFileScores(detector, profile);
  const nulls = readPublishedFileScores("null", profile);
  let raw = 0;
  let baseline = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const file of files) {
    const score = scores.get(file.name);
    const nullScore = nulls.get(file.name);
    if (!score || !nullScore) throw new Error(`${detector}: no ${profile} score for ${file.name}`);
    raw += score.score;
    baseline += nullScore.score;
    tp += score.tp;
    fp += score.fp;
    fn += score.fn;
  }
  // NAB's perfect detector: A_TP per window (see normalizeScore for why not per label).
  const perfect = files.reduce((sum, file) => sum + file.windows.length, 0) * cost.tpWeight;
  return { raw, normalized: (100 * (raw - baseline)) / (perfect - baseline), tp, fp, fn };
}
