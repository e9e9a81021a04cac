import type { DetectorSettings } from "@meterplane/anomaly";
import { profileNames, publishedScoreOn, readBenchmarkFiles, readProfiles } from "@meterplane/nab";
import { category, crossValidate, scoreTables, windowsOf } from "../lib/nab-cross-validation.ts";

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
const categories = [...new Set(corpus.map(category))].sort();
const started = Date.now();
const points = variants.length * corpus.reduce((sum, file) => sum + file.values.length, 0);
const tables = scoreTables(corpus, profiles, variants);
const short = (held: string) => held.replace(/^(real|artificial)/, "").slice(0, 8);
function cv(entries: number[]) {
  const { cv: scores, folds } = crossValidate(corpus, profiles, tables, entries);
  const cats = folds
    .filter((fold) => fold.profile === "standard")
    .map(
      (fold) =>
        `${short(fold.held)}=${fold.normalized === undefined ? `raw${fold.raw.toFixed(2)}` : fold.normalized.toFixed(1)}${entries.length > 1 ? `(${fold.entry})` : ""}`,
    );
  return `${profileNames.map((p) => scores[p].toFixed(1)).join(" / ")}  ${cats.join(" ")}`;
}
for (const [g, v] of variants.entries()) console.log(`${g} ${JSON.stringify(v)}: ${cv([g])}`);
if (variants.length > 1) console.log(`charged (all ${variants.length}): ${cv(variants.map((_, g) => g))}`);
if (process.env.MP_PUB)
  for (const d of ["ARTime", "numenta", "contextOSE"]) {
    const row = categories.map((c) => {
      const files = corpus.filter((f) => category(f) === c);
      const { raw, normalized } = publishedScoreOn(d, "standard", files, profiles.standard);
      return `${short(c)}=${windowsOf(files) ? normalized.toFixed(1) : `raw${raw.toFixed(2)}`}`;
    });
    console.log(d, row.join(" "));
  }
console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s, ${points} points scored)`);
