import { describe, expect, it } from "vitest";
import { readBenchmarkFiles, readProfiles } from "./corpus.ts";
import { scoreCorpus } from "./score-corpus.ts";

const files = readBenchmarkFiles();
const { standard } = readProfiles();
const scoresOf = (score: (file: (typeof files)[number], i: number) => number) =>
  new Map(files.map((file) => [file.name, file.timestamps.map((_, i) => score(file, i))]));

describe("scoreCorpus", () => {
  it("normalises a detector that never detects to 0", () => {
    expect(
      scoreCorpus(
        files,
        scoresOf(() => 0),
        standard,
      ).normalized,
    ).toBeCloseTo(0, 12);
  });

  it("scores A_TP for each window detected at its first row: 100, NAB's perfect detector", () => {
    const perfect = scoresOf((file, i) =>
      file.windows.some(([start]) => start === file.timestamps[i]) ? 1 : 0,
    );
    const result = scoreCorpus(files, perfect, standard);
    const windows = files.reduce((sum, file) => sum + file.windows.length, 0);
    expect(result.threshold).toBe(1);
    expect(result.raw).toBeCloseTo(windows, 12);
    // NAB's perfect is one A_TP per window (not per labelled instant: four windows hold two labels each).
    expect(result.normalized).toBeCloseTo(100, 12);
  });

  it("picks the threshold that scores best over all files, as NAB's optimiser", () => {
    // Detections everywhere at 0.5, perfect ones at 0.9: the best threshold skips the false ones.
    const noisy = scoresOf((file, i) =>
      file.windows.some(([start]) => start === file.timestamps[i]) ? 0.9 : 0.5,
    );
    const result = scoreCorpus(files, noisy, standard);
    expect(result.threshold).toBe(0.9);
    expect(scoreCorpus(files, noisy, standard, 0.5).normalized).toBeLessThan(result.normalized);
  });
});
