import { describe, expect, it } from "vitest";
import { profileNames, readBenchmarkFiles, readProfiles, shippedFiles } from "./corpus.ts";
import { publishedDetectors, publishedScoreOn, readFinalResults } from "./published-scores.ts";
import { normalizeScore } from "./sweep.ts";

const files = readBenchmarkFiles();
const profiles = readProfiles();
const finalResults = readFinalResults();
const shipped = files.filter((file) => shippedFiles.has(file.name));
const unseen = files.filter((file) => !shippedFiles.has(file.name));
const reproducible = publishedDetectors().filter(
  (detector) => detector in finalResults && detector !== "random",
);

describe("published detectors' scores on subsets of NAB", () => {
  it("has the whole corpus: 58 files, 18 of them shipped first", () => {
    expect(files.length).toBe(58);
    expect(shipped.length).toBe(18);
    expect(unseen.length).toBe(40);
    expect(publishedDetectors()).toEqual(
      expect.arrayContaining(["ARTime", "numenta", "randomCutForest", "twitterADVec", "contextOSE"]),
    );
    expect(reproducible.length).toBe(13);
  });

  describe.each(profileNames)("profile %s", (profile) => {
    // bayesChangePt has no entry in final_results.json.
    it.each(reproducible)("reproduces NAB's final_results.json for %s over all 58 files", (detector) => {
      const published = finalResults[detector]?.[profile];
      expect(published).toBeDefined();
      expect(publishedScoreOn(detector, profile, files, profiles[profile]).normalized).toBeCloseTo(
        published!,
        9,
      );
    });

    it("normalises a subset as our scorer does: the null detector's sum is −A_FN per window there", () => {
      for (const subset of [shipped, unseen]) {
        const windows = subset.reduce((sum, file) => sum + file.windows.length, 0);
        const numenta = publishedScoreOn("numenta", profile, subset, profiles[profile]);
        expect(numenta.normalized).toBeCloseTo(normalizeScore(numenta.raw, windows, profiles[profile]), 9);
      }
    });

    it("splits the whole corpus's raw score between the shipped and the unseen files", () => {
      const whole = publishedScoreOn("ARTime", profile, files, profiles[profile]);
      const parts = [shipped, unseen].map((subset) =>
        publishedScoreOn("ARTime", profile, subset, profiles[profile]),
      );
      expect(parts[0]!.raw + parts[1]!.raw).toBeCloseTo(whole.raw, 9);
      expect(parts[0]!.fp + parts[1]!.fp).toBe(whole.fp);
    });
  });
});
