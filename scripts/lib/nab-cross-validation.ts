import { createSeriesState, type DetectorSettings, detectorSettings, scorePoint } from "@meterplane/anomaly";
import {
  type BenchmarkFile,
  normalizeScore,
  type ProfileName,
  profileNames,
  type readProfiles,
  scoresByThreshold,
  sweepScores,
  type ThresholdScore,
} from "@meterplane/nab";

/**
 * Leave-one-category-out cross-validation of the detector on NAB (`anomaly-cv`, `anomaly-variants`): for each
 * of NAB's categories, the threshold (and, among several settings, the entry) is chosen on the other
 * categories by NAB's optimiser and the held-out category is scored with that choice; the corpus's sum is
 * normalised as NAB normalises.
 */
type Profiles = ReturnType<typeof readProfiles>;
/** Per profile, per file: the file's score at every distinct threshold, ascending by threshold. */
export type ScoreTables = Record<ProfileName, Map<string, ThresholdScore[]>>;

export const category = (file: BenchmarkFile) => file.name.split("/")[0]!;
export const windowsOf = (set: readonly BenchmarkFile[]) =>
  set.reduce((sum, file) => sum + file.windows.length, 0);

/**
 * The threshold candidates: a fixed grid (0.300 to 0.995 by 0.0025, which holds the detector's alert level
 * 0.5). NAB's optimiser tries every distinct score; on the whole corpus both pick 0.500 for the detector.
 */
const candidates = Array.from({ length: 279 }, (_, i) => 0.3 + i * 0.0025);

/** Scores every file with each settings entry (overrides of the defaults), once: the folds only add tables up. */
export function scoreTables(
  corpus: readonly BenchmarkFile[],
  profiles: Profiles,
  entries: readonly Partial<DetectorSettings>[],
): ScoreTables[] {
  return entries.map((overrides) => {
    const settings = { ...detectorSettings, ...overrides };
    const scores = new Map(
      corpus.map((file) => {
        const state = createSeriesState();
        return [
          file.name,
          file.timestamps.map((at, i) => scorePoint(state, at, file.values[i]!, settings).score),
        ];
      }),
    );
    return Object.fromEntries(
      profileNames.map((profile) => [
        profile,
        new Map(
          corpus.map((file) => {
            const points = sweepScores(
              file.timestamps,
              scores.get(file.name)!,
              file.windows,
              file.name,
              profiles[profile],
            );
            return [file.name, scoresByThreshold(points, profiles[profile]).reverse()];
          }),
        ),
      ]),
    ) as ScoreTables;
  });
}

/** A file's score at a threshold as NAB's scoreAtThreshold picks it: the row of the lowest threshold ≥ it. */
function scoreAt(table: readonly ThresholdScore[], threshold: number): number {
  let low = 0;
  let high = table.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (table[mid]!.threshold >= threshold) high = mid;
    else low = mid + 1;
  }
  return table[low]!.score;
}

/** The candidate threshold with the best raw score summed over `set`. */
export function bestThreshold(tables: ScoreTables, profile: ProfileName, set: readonly BenchmarkFile[]) {
  let best = { threshold: 1.1, score: Number.NEGATIVE_INFINITY };
  for (const threshold of candidates) {
    const score = set.reduce((sum, file) => sum + scoreAt(tables[profile].get(file.name)!, threshold), 0);
    if (score > best.score) best = { threshold, score };
  }
  return best;
}

export interface Fold {
  profile: ProfileName;
  held: string;
  files: number;
  /** The entry and threshold chosen on the other categories. */
  entry: number;
  threshold: number;
  /** The held-out category's raw score, and normalised where it has windows. */
  raw: number;
  normalized: number | undefined;
}

/** The CV per profile over the entries `entries` of `tables`, and each fold's choice. */
export function crossValidate(
  corpus: readonly BenchmarkFile[],
  profiles: Profiles,
  tables: readonly ScoreTables[],
  entries: readonly number[],
): { cv: Record<ProfileName, number>; folds: Fold[] } {
  const categories = [...new Set(corpus.map(category))].sort();
  const cv = {} as Record<ProfileName, number>;
  const folds: Fold[] = [];
  for (const profile of profileNames) {
    let raw = 0;
    for (const held of categories) {
      const train = corpus.filter((file) => category(file) !== held);
      const test = corpus.filter((file) => category(file) === held);
      let chosen = { entry: entries[0]!, threshold: 1.1, score: Number.NEGATIVE_INFINITY };
      for (const entry of entries) {
        const best = bestThreshold(tables[entry]!, profile, train);
        if (best.score > chosen.score) chosen = { entry, threshold: best.threshold, score: best.score };
      }
      const heldRaw = test.reduce(
        (sum, file) => sum + scoreAt(tables[chosen.entry]![profile].get(file.name)!, chosen.threshold),
        0,
      );
      raw += heldRaw;
      const windows = windowsOf(test);
      folds.push({
        profile,
        held,
        files: test.length,
        entry: chosen.entry,
        threshold: chosen.threshold,
        raw: heldRaw,
        normalized: windows ? normalizeScore(heldRaw, windows, profiles[profile]) : undefined,
      });
    }
    cv[profile] = normalizeScore(raw, windowsOf(corpus), profiles[profile]);
  }
  return { cv, folds };
}
