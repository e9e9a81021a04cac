import { describe, expect, it } from "vitest";
import {
  type ProfileName,
  profileNames,
  readBenchmarkFiles,
  readProfiles,
  readPublishedThreshold,
  readReferenceResult,
  referenceDetectors,
} from "./corpus.ts";
import published from "./published-file-scores.json" with { type: "json" };
import { rowScores, scoreAtThreshold, sweepScores } from "./sweep.ts";

// NAB wrote its results with Python 2's str(): 12 significant digits.
const asNabPrinted = (value: number) => Number(value.toPrecision(12));

const files = readBenchmarkFiles();
const profiles = readProfiles();
const cases = referenceDetectors().flatMap((detector) =>
  files.flatMap((file) => {
    const rows = readReferenceResult(detector, file.name);
    return rows ? [{ detector, file, rows }] : [];
  }),
);

describe("NAB scorer", () => {
  it("has the published detectors' results of every labelled file shipped to check against", () => {
    expect(cases.length).toBe(26);
    expect(published.rows.length).toBe(cases.length * profileNames.length);
  });

  describe.each(profileNames)("profile %s", (profile: ProfileName) => {
    const cost = profiles[profile];

    it.each(cases)("reproduces every row's S(t) of $detector on $file.name", ({ detector, file, rows }) => {
      const threshold = readPublishedThreshold(detector, profile);
      const points = sweepScores(
        file.timestamps,
        rows.map((row) => Number(row.anomaly_score)),
        file.windows,
        file.name,
        cost,
      );
      const ours = rowScores(points, cost, threshold).map(asNabPrinted);
      const theirs = rows.map((row) => Number(row[`S(t)_${profile}`]));
      expect(ours).toEqual(theirs);
    });

    it.each(cases)(
      "reproduces the file score and counts of $detector on $file.name",
      ({ detector, file, rows }) => {
        const expected = published.rows.find(
          (row) => row.detector === detector && row.profile === profile && row.file === file.name,
        );
        const points = sweepScores(
          file.timestamps,
          rows.map((row) => Number(row.anomaly_score)),
          file.windows,
          file.name,
          cost,
        );
        const score = scoreAtThreshold(points, cost, readPublishedThreshold(detector, profile));
        expect({
          score: asNabPrinted(score.score),
          tp: score.tp,
          tn: score.tn,
          fp: score.fp,
          fn: score.fn,
        }).toEqual({
          score: Number(expected?.score),
          tp: expected?.tp,
          tn: expected?.tn,
          fp: expected?.fp,
          fn: expected?.fn,
        });
      },
    );
  });
});
