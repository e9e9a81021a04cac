import { createSeriesState, type DetectorSettings, detectorSettings, scorePoint } from "@meterplane/anomaly";
import {
  type BenchmarkFile,
  normalizeScore,
  type ProfileName,
  profileNames,
  publishedScoreOn,
  readBenchmarkFiles,
  readProfiles,
  scoresByThreshold,
  sweepScores,
  type ThresholdScore,
} from "@meterplane/nab";

/**
 * Diagnosis (issue #20): the leave-one-category-out CV of the default and of variants of its settings, quickly
 * (a few seconds a variant; `anomaly-cv` also scores its whole grid). `MP_VARIANTS` is a JSON array of setting
 * overrides, e.g. `MP_VARIANTS='[{"rangeBoost":2},{"rangeNovel":false}]' npx tsx scripts/bench/anomaly-variants.ts`.
 * Per entry: CV standard / low FP / low FN with the threshold alone chosen per fold, and the held-out score of
 * each category (standard; raw where a category has no windows). Then "charged": the entry and threshold
 * chosen per fold among all the entries (the default included), which is what choosing among them costs.
 * `MP_PUB=1` adds ARTime's, numenta's and CAD OSE's scores by category (NAB's thresholds, all 58).
 */
const variants: Partial<DetectorSettings>[] = [{}, ...JSON.parse(process.env.MP_VARIANTS ?? "[]")];
const corpus = readBenchmarkFiles();
const profiles = readProfiles();
const category = (file: BenchmarkFile) => file.name.split("/")[0]!;
const categories = [...new Set(corpus.map(category))].sort();
const candidates = Array.from({ length: 279 }, (_, i) => 0.3 + i * 0.0025);
const windowsOf = (set: readonly BenchmarkFile[]) => set.reduce((sum, file) => sum + file.windows.length, 0);
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
const started = Date.now();
let points = 0;
const tables = variants.map((v) => {
  const settings = { ...detectorSettings, ...v };
  const scores = new Map(
    corpus.map((file) => {
      const state = createSeriesState();
      points += file.values.length;
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
        corpus.map((file) => [
          file.name,
          scoresByThreshold(
            sweepScores(file.timestamps, scores.get(file.name)!, file.windows, file.name, profiles[profile]),
            profiles[profile],
          ).reverse(),
        ]),
      ),
    ]),
  ) as Record<ProfileName, Map<string, ThresholdScore[]>>;
});
function best(g: number, profile: ProfileName, set: readonly BenchmarkFile[]) {
  let b = { threshold: 1.1, score: Number.NEGATIVE_INFINITY };
  for (const threshold of candidates) {
    const score = set.reduce((sum, file) => sum + scoreAt(tables[g]![profile].get(file.name)!, threshold), 0);
    if (score > b.score) b = { threshold, score };
  }
  return b;
}
function cv(entries: number[]) {
  const out: Record<string, number> = {};
  const cats: string[] = [];
  for (const profile of profileNames) {
    let raw = 0;
    for (const held of categories) {
      const train = corpus.filter((f) => category(f) !== held);
      const test = corpus.filter((f) => category(f) === held);
      let chosen = { g: entries[0]!, threshold: 1.1, score: Number.NEGATIVE_INFINITY };
      for (const g of entries) {
        const b = best(g, profile, train);
        if (b.score > chosen.score) chosen = { g, threshold: b.threshold, score: b.score };
      }
      const heldRaw = test.reduce(
        (s, f) => s + scoreAt(tables[chosen.g]![profile].get(f.name)!, chosen.threshold),
        0,
      );
      raw += heldRaw;
      if (profile === "standard")
        cats.push(
          `${held.replace(/^(real|artificial)/, "").slice(0, 8)}=${windowsOf(test) ? normalizeScore(heldRaw, windowsOf(test), profiles[profile]).toFixed(1) : `raw${heldRaw.toFixed(2)}`}${entries.length > 1 ? `(${chosen.g})` : ""}`,
        );
    }
    out[profile] = normalizeScore(raw, windowsOf(corpus), profiles[profile]);
  }
  return `${profileNames.map((p) => out[p]!.toFixed(1)).join(" / ")}  ${cats.join(" ")}`;
}
for (const [g, v] of variants.entries()) console.log(`${g} ${JSON.stringify(v)}: ${cv([g])}`);
if (variants.length > 1) console.log(`charged (all ${variants.length}): ${cv(variants.map((_, g) => g))}`);
if (process.env.MP_PUB)
  for (const d of ["ARTime", "numenta", "contextOSE"]) {
    const row = categories.map((c) => {
      const files = corpus.filter((f) => category(f) === c);
      const { raw, normalized } = publishedScoreOn(d, "standard", files, profiles.standard);
      return `${c.replace(/^(real|artificial)/, "").slice(0, 8)}=${windowsOf(files) ? normalized.toFixed(1) : `raw${raw.toFixed(2)}`}`;
    });
    console.log(d, row.join(" "));
  }
console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s, ${points} points scored)`);
