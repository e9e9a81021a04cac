import type { DetectorSettings } from "@meterplane/anomaly";
import {
  benchmarkAvailable,
  benchmarkDir,
  normalizeScore,
  type ProfileName,
  profileNames,
  publishedDetectors,
  publishedScoreOn,
  readBenchmarkFiles,
  readProfiles,
} from "@meterplane/nab";
import { bestThreshold, crossValidate, scoreTables, windowsOf } from "../lib/nab-cross-validation.ts";

/**
 * `npm run bench -- anomaly-cv`: leave-one-category-out cross-validation over all 58 NAB files. For each of
 * NAB's 7 categories, the threshold and the detector's constants (one of a small fixed grid) are chosen on the
 * other 6 categories by NAB's optimiser, and the held-out category is scored with that choice. Each file is
 * scored once, in its own fold; the sum over the 58 is normalised as NAB normalises (per window). This is the
 * figure for files the detector was not tuned on; the published detectors' thresholds were set by NAB over
 * all 58 files, which is an advantage to them.
 *
 * The grid is the set of constants searched: each entry overrides `detectorSettings`. The first entry is the
 * product's default (what the worker runs). Two figures: `cv_*`, the default with only the threshold chosen
 * per fold; `cv_grid_*`, the entry and the threshold chosen per fold, which also charges the choice of the
 * default among the grid (the default was picked after reading the per-entry CV lines, so `cv_grid_*` is the
 * figure free of that selection). Thresholds are tried on a fixed grid (below), not every distinct score.
 */
const grid: { label: string; settings: Partial<DetectorSettings> }[] = [
  {
    label:
      "default (novelty, quiet 120, ≤ 1 d, quantum, count, anchor 0.3/d, range ×2 novel untailed climb, hour's error 0.75)",
    settings: {},
  },
  { label: "no hour's error (before)", settings: { plainSpread: 0 } },
  { label: "hour's error 0.5", settings: { plainSpread: 0.5 } },
  { label: "hour's error 1", settings: { plainSpread: 1 } },
  { label: "no range boost", settings: { rangeBoost: 1 } },
  { label: "range ×2.5 tailed", settings: { rangeBoost: 2.5, rangeUntailed: false, rangeClimb: false } },
  { label: "range records each (before)", settings: { rangeClimb: false } },
  { label: "range tailed", settings: { rangeUntailed: false } },
  { label: "range not novel", settings: { rangeNovel: false } },
  { label: "range ×1.5", settings: { rangeBoost: 1.5 } },
  { label: "range ×2.5", settings: { rangeBoost: 2.5 } },
  { label: "range ×3", settings: { rangeBoost: 3 } },
  { label: "anchor 0.5/day", settings: { anchorRatePerDay: 0.5 } },
  { label: "anchor 0.125/day", settings: { anchorRatePerDay: 0.125 } },
  { label: "anchor 0.2/day", settings: { anchorRatePerDay: 0.2 } },
  { label: "anchor 0.25/day", settings: { anchorRatePerDay: 0.25 } },
  { label: "anchor 0.35/day", settings: { anchorRatePerDay: 0.35 } },
  { label: "anchor 1/day", settings: { anchorRatePerDay: 1 } },
  { label: "no count floor", settings: { countFloor: 0 } },
  { label: "count floor 0.5", settings: { countFloor: 0.5 } },
  { label: "count floor 2", settings: { countFloor: 2 } },
  { label: "no quantum floor", settings: { quantumFloor: 0 } },
  { label: "quantum floor 0.05", settings: { quantumFloor: 0.05 } },
  { label: "quantum floor 0.2", settings: { quantumFloor: 0.2 } },
  { label: "novelty, quiet 120 (no time cap)", settings: { quietMs: Number.POSITIVE_INFINITY } },
  { label: "novelty, quiet 120, ≤ 6 h", settings: { quietMs: 6 * 3_600_000 } },
  { label: "novelty, quiet 120, ≤ 12 h", settings: { quietMs: 12 * 3_600_000 } },
  { label: "novelty, quiet 120, ≤ 2 d", settings: { quietMs: 48 * 3_600_000 } },
  {
    label: "no novelty, penalty 1, quiet 200",
    settings: { noveltyDiscount: 0, alarmPenalty: 1, quietPoints: 200 },
  },
  { label: "no novelty, penalty 0, quiet 200", settings: { noveltyDiscount: 0, quietPoints: 200 } },
  { label: "no novelty, penalty 1", settings: { noveltyDiscount: 0, alarmPenalty: 1 } },
  { label: "novelty, quiet 200", settings: { quietPoints: 200 } },
  { label: "novelty, quiet 90", settings: { quietPoints: 90 } },
  { label: "novelty, quiet 150", settings: { quietPoints: 150 } },
  { label: "novelty 0.5", settings: { noveltyDiscount: 0.5 } },
  { label: "novelty 0.8", settings: { noveltyDiscount: 0.8 } },
  { label: "novelty, generation 4,096", settings: { noveltyGeneration: 4096 } },
  { label: "novelty, bands 1 / 3 / 6", settings: { noveltyBands: [1, 3, 6] } },
];

if (!benchmarkAvailable()) {
  console.error(`anomaly-cv bench: no benchmark at ${benchmarkDir} (set MP_NAB_DIR)`);
  process.exit(2);
}
const corpus = readBenchmarkFiles();
const profiles = readProfiles();
const tables = scoreTables(
  corpus,
  profiles,
  grid.map(({ settings }) => settings),
);
const fmt = (value: number) => value.toFixed(1);
/** The CV over the grid entries `entries`, with the standard profile's folds as lines. */
function crossValidateGrid(entries: readonly number[]) {
  const { cv, folds } = crossValidate(corpus, profiles, tables, entries);
  const lines = folds
    .filter((fold) => fold.profile === "standard")
    .map(
      (fold) =>
        `  ${fold.held.padEnd(22)} ${String(fold.files).padStart(2)} files  ${grid[fold.entry]!.label.padEnd(28)} threshold ${fold.threshold.toFixed(3)}  held-out ${fold.normalized === undefined ? `raw ${fold.raw.toFixed(2)} (no windows)` : fmt(fold.normalized)}`,
    );
  return { cv, folds: lines };
}

const cells = (row: Record<ProfileName, number>) =>
  profileNames.map((profile) => fmt(row[profile])).join(" / ");

// Each grid entry alone (its threshold cross-validated), and over all 58 with the threshold best there.
console.log(
  "grid entry: CV with the threshold alone chosen per fold | all 58, threshold best on all 58 (not CV)",
);
grid.forEach(({ label }, g) => {
  const all58 = Object.fromEntries(
    profileNames.map((profile) => [
      profile,
      normalizeScore(bestThreshold(tables[g]!, profile, corpus).score, windowsOf(corpus), profiles[profile]),
    ]),
  ) as Record<ProfileName, number>;
  console.log(`  ${label.padEnd(36)} ${cells(crossValidateGrid([g]).cv)} | ${cells(all58)}`);
});

const { cv: cvGrid, folds: foldLines } = crossValidateGrid(grid.map((_, g) => g));
const { cv, folds: defaultFolds } = crossValidateGrid([0]);
console.log(
  "\nleave-one-category-out over the whole grid, folds (standard): held-out category, choice made on the other 6",
);
for (const line of foldLines) console.log(line);
console.log("the default alone, folds (standard): held-out category, threshold chosen on the other 6");
for (const line of defaultFolds) console.log(line);

console.log(`\nNAB all 58 files; columns standard / low FP / low FN`);
const rows: [string, Record<ProfileName, number>][] = [
  ["meterplane default (CV)", cv],
  ["meterplane grid (CV, entry chosen)", cvGrid],
];
for (const detector of publishedDetectors())
  rows.push([
    `${detector} (NAB thr., all 58)`,
    Object.fromEntries(
      profileNames.map((profile) => [
        profile,
        publishedScoreOn(detector, profile, corpus, profiles[profile]).normalized,
      ]),
    ) as Record<ProfileName, number>,
  ]);
for (const [label, row] of rows.sort((a, b) => b[1].standard - a[1].standard))
  console.log(`${label.padEnd(36)}${profileNames.map((p) => fmt(row[p]).padStart(7)).join("")}`);
const artime = publishedScoreOn("ARTime", "standard", corpus, profiles.standard).normalized;
console.log(
  `anomaly-cv: cv_standard=${fmt(cv.standard)} cv_low_fp=${fmt(cv.reward_low_FP_rate)} cv_low_fn=${fmt(cv.reward_low_FN_rate)} cv_grid_standard=${fmt(cvGrid.standard)} cv_grid_low_fp=${fmt(cvGrid.reward_low_FP_rate)} cv_grid_low_fn=${fmt(cvGrid.reward_low_FN_rate)} grid=${grid.length} artime_all58=${fmt(artime)}`,
);
