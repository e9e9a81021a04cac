import { createSeriesState, type DetectorSettings, detectorSettings, scorePoint } from "@meterplane/anomaly";
import { readBenchmarkFiles } from "@meterplane/nab";
const file = readBenchmarkFiles().find((f) => f.name.includes(process.env.MP_FILE!))!;
const settings = { ...detectorSettings, ...(JSON.parse(process.env.MP_SET ?? "{}") as Partial<DetectorSettings>) };
const state = createSeriesState();
console.log(file.windows);
file.timestamps.forEach((at, i) => {
  const v = file.values[i]!;
  const hi = Math.max(state.high, state.highOld), lo = Math.min(state.low, state.lowOld);
  const q = state.quiet;
  const r = scorePoint(state, at, v, settings);
  if (r.score >= 0.3 || (process.env.MP_FROM && i >= +process.env.MP_FROM && i < +process.env.MP_FROM + 40))
    console.log(i, new Date(at).toISOString(), v, `hi ${hi} lo ${lo}`, r.score.toFixed(3), r.kind, `q${q}`, `usual ${state.usualHigh.toFixed(1)} scale ${state.scale.toFixed(2)} q ${state.quantum}`);
});
