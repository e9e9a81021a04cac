import { createSeriesState, type DetectorSettings, detectorSettings, scorePoint } from "@meterplane/anomaly";
import { readBenchmarkFiles, readProfiles, sweepScores } from "@meterplane/nab";

/**
 * Diagnosis (issue #20): when in its window the detector first fires, the reward that earns against the
 * window's maximum, and where the false alarms fall relative to the window before them. Standard profile,
 * threshold 0.5 (the alert level, which every CV fold picks). `MP_SET` overrides settings (JSON).
 */
const corpus = readBenchmarkFiles();
const cost = readProfiles().standard;
const settings = {
  ...detectorSettings,
  ...(JSON.parse(process.env.MP_SET ?? "{}") as Partial<DetectorSettings>),
};
const threshold = Number(process.env.MP_THR ?? 0.5);
const positions: number[] = [];
const rewards: number[] = [];
const earlier: number[] = [];
const lost: number[] = [];
let missed = 0;
let fpFar = 0;
let fpAfter = 0;
let fpAfterCost = 0;
let fpFarCost = 0;
const bins = new Array(10).fill(0);
for (const file of corpus) {
  const state = createSeriesState();
  const scores = file.timestamps.map((at, i) => scorePoint(state, at, file.values[i]!, settings).score);
  const points = sweepScores(file.timestamps, scores, file.windows, file.name, cost);
  const byWindow = new Map<string, number[]>();
  points.forEach((p, i) => {
    if (p.windowName && p.windowName !== "probationary") {
      const list = byWindow.get(p.windowName) ?? [];
      list.push(i);
      byWindow.set(p.windowName, list);
    }
    if (p.windowName === null && p.anomalyScore >= threshold) {
      if (p.sweepScore > -cost.fpWeight * 0.99) {
        fpAfter += 1;
        fpAfterCost += p.sweepScore;
      } else {
        fpFar += 1;
        fpFarCost += p.sweepScore;
      }
    }
  });
  for (const [, rows] of byWindow) {
    const width = rows.length;
    const first = rows.find((i) => points[i]!.anomalyScore >= threshold);
    if (first === undefined) {
      missed += 1;
      continue;
    }
    const pos = -(rows[width - 1]! - first + 1) / width;
    positions.push(pos);
    rewards.push(points[first]!.sweepScore);
    bins[Math.min(9, Math.floor((pos + 1) * 10))] += 1;
    // The first point in the window scoring at least 0.3: how much earlier a more sensitive first alert could be.
    const soft = rows.find((i) => points[i]!.anomalyScore >= 0.3)!;
    earlier.push(first - soft);
    lost.push(points[soft]!.sweepScore - points[first]!.sweepScore);
    if (process.env.MP_VERBOSE)
      console.log(
        `${file.name.padEnd(58)} width ${String(width).padStart(4)} first ${pos.toFixed(2)} reward ${points[first]!.sweepScore.toFixed(2)} soft ${first - soft}`,
      );
  }
}
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `detected ${positions.length}, missed ${missed}; first detection position median ${median(positions).toFixed(2)}, mean ${(sum(positions) / positions.length).toFixed(2)}`,
);
console.log(`positions by tenth of window (start → end): ${bins.join(" ")}`);
console.log(
  `reward earned ${sum(rewards).toFixed(2)} of max ${positions.length} (lost to lateness ${(positions.length - sum(rewards)).toFixed(2)}); at the label (−0.5) it would be ${(positions.length * 0.8476).toFixed(2)}`,
);
console.log(
  `a point ≥ 0.3 earlier in the window: ${earlier.filter((e) => e > 0).length} windows, median ${median(earlier)} points earlier, reward gain if fired there ${sum(lost).toFixed(2)}`,
);
console.log(
  `false alarms: ${fpAfter + fpFar}; within reach of a window before them (weight > −0.99): ${fpAfter} costing ${fpAfterCost.toFixed(2)}; the rest ${fpFar} costing ${fpFarCost.toFixed(2)}`,
);
