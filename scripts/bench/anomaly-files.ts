import { createSeriesState, type DetectorSettings, detectorSettings, scorePoint } from "@meterplane/anomaly";
import { readBenchmarkFiles, readProfiles, scoresByThreshold, sweepScores } from "@meterplane/nab";

/**
 * Diagnosis (issue #20): per file, each window (rows, found or missed, the first detection's position and
 * kind, the largest score in it) and each alert after probation, in a window or false (row, kind, score,
 * "beyond" where the value is beyond the stored range without the climb or age test, rows since the alert
 * before, the short-term mean of residuals after the point), and each file's raw score at 0.5. Standard
 * profile. `MP_FILTER` is a regex on file names, `MP_SET` overrides settings (JSON), e.g.
 * `MP_FILTER=Tweets MP_SET='{"plainSpread":0}' npx tsx scripts/bench/anomaly-files.ts`.
 */
const filter = new RegExp(process.env.MP_FILTER ?? ".");
const corpus = readBenchmarkFiles().filter((file) => filter.test(file.name));
const cost = readProfiles().standard;
const settings = {
  ...detectorSettings,
  ...(JSON.parse(process.env.MP_SET ?? "{}") as Partial<DetectorSettings>),
};
let total = 0;
for (const file of corpus) {
  const state = createSeriesState();
  const kinds: (string | null)[] = [];
  const beyond: boolean[] = [];
  const recent: number[] = [];

  const scores = file.timestamps.map((at, i) => {
    const value = file.values[i]!;
    const hi = Math.max(state.high, state.highOld);
    const lo = Math.min(state.low, state.lowOld);
    beyond.push(state.n > 0 && (value > hi || value < lo));
    const r = scorePoint(state, at, value, settings);
    kinds.push(r.kind);
    recent.push(state.recent);

    return r.score;
  });
  const points = sweepScores(file.timestamps, scores, file.windows, file.name, cost);
  // NAB's scoreAtThreshold: the row of the lowest threshold at or above 0.5.
  const table = scoresByThreshold(points, cost).filter((t) => t.threshold >= 0.5);
  const raw = table.reduce((best, t) => (t.threshold < best.threshold ? t : best), table[0]!).score;
  total += raw;
  console.log(`== ${file.name} rows ${file.values.length} raw ${raw.toFixed(2)}`);
  const windows = new Map<number, number[]>();
  points.forEach((p, i) => {
    if (p.windowStartRow !== null && p.windowName !== "probationary") {
      const list = windows.get(p.windowStartRow) ?? [];
      list.push(i);
      windows.set(p.windowStartRow, list);
    }
  });
  let lastAlert = -1;
  points.forEach((p, i) => {
    if (p.anomalyScore < 0.5) return;
    const since = lastAlert < 0 ? "-" : String(i - lastAlert);
    lastAlert = i;
    if (p.windowName === "probationary") return;
    const tag = p.windowName === null ? "FP " : "in ";
    console.log(
      `  ${tag} row ${i} ${kinds[i]} score ${p.anomalyScore.toFixed(2)}${beyond[i] ? " beyond" : ""} since ${since} recent ${recent[i]!.toFixed(1)} S ${p.sweepScore.toFixed(3)} v ${file.values[i]}`,
    );
  });
  for (const [start, rows] of windows) {
    const first = rows.find((i) => points[i]!.anomalyScore >= 0.5);
    let max = 0;
    let at = start;
    for (const i of rows) if (points[i]!.anomalyScore > max) [max, at] = [points[i]!.anomalyScore, i];
    console.log(
      `  window rows ${start}-${rows[rows.length - 1]} ${first === undefined ? "MISSED" : `found row ${first} pos ${(-(rows[rows.length - 1]! - first + 1) / rows.length).toFixed(2)} ${kinds[first]}`} max ${max.toFixed(2)} at ${at}`,
    );
  }
}
console.log(`total raw ${total.toFixed(2)}`);
