import { createSeriesState, type DetectorSettings, detectorSettings, scorePoint } from "@meterplane/anomaly";
import { readBenchmarkFiles, readProfiles, sweepScores } from "@meterplane/nab";
const corpus = readBenchmarkFiles();
const cost = readProfiles().standard;
const settings = { ...detectorSettings, ...(JSON.parse(process.env.MP_SET ?? "{}") as Partial<DetectorSettings>) };
const tally = new Map<string, number>();
const add = (k: string) => tally.set(k, (tally.get(k) ?? 0) + 1);
for (const file of corpus) {
  const cat = file.name.split("/")[0]!;
  const state = createSeriesState();
  const info: { kind: string | null; beyond: string; gap: number }[] = [];
  let lastAlert = -1e9;
  const scores = file.timestamps.map((at, i) => {
    const v = file.values[i]!;
    const hi = Math.max(state.high, state.highOld), lo = Math.min(state.low, state.lowOld);
    const beyond = state.n > 0 && (v > hi ? "hi" : v < lo ? "lo" : "in");
    const r = scorePoint(state, at, v, settings);
    info.push({ kind: r.kind, beyond: String(beyond), gap: i - lastAlert });
    if (r.score >= 0.5) lastAlert = i;
    return r.score;
  });
  const points = sweepScores(file.timestamps, scores, file.windows, file.name, cost);
  const seen = new Set<string>();
  points.forEach((p, i) => {
    if (p.anomalyScore < 0.5 || p.windowName === "probationary") return;
    const f = info[i]!;
    const g = f.gap < 400 ? "near" : "far";
    if (p.windowName === null) { add(`FP ${cat}`); if (process.env.MP_FILES) add(`FPf ${file.name}`); add(`FP kind=${f.kind} ${f.beyond}`); add(`FPc ${cat} ${f.kind} ${g}`); add(`FP ${g}`); }
    else if (!seen.has(p.windowName)) { seen.add(p.windowName); add(`TP kind=${f.kind} ${f.beyond}`); add(`TPc ${cat} ${f.kind} ${g}`); add(`TP ${g}`); }
  });
}
for (const [k, v] of [...tally].sort()) console.log(k, v);
if (process.env.MP_MISSED)
for (const file of corpus) {
  const state = createSeriesState();
  const quiet: number[] = [];
  const raw: number[] = [];
  const scores = file.timestamps.map((at, i) => { const q = state.quiet; const r = scorePoint(state, at, file.values[i]!, settings); quiet.push(q); raw.push(q > 0 ? r.score / 0.5 : r.score); return r.score; });
  const points = sweepScores(file.timestamps, scores, file.windows, file.name, cost);
  const by = new Map<string, number[]>();
  points.forEach((p, i) => { if (p.windowName && p.windowName !== "probationary") { const l = by.get(p.windowName) ?? []; l.push(i); by.set(p.windowName, l); } });
  for (const [w, rows] of by) {
    if (rows.some((i) => scores[i]! >= 0.5)) continue;
    const m = Math.max(...rows.map((i) => scores[i]!));
    const mr = Math.max(...rows.map((i) => raw[i]!));
    const q = rows.filter((i) => quiet[i]! > 0).length;
    console.log(`MISSED ${file.name} ${w} width ${rows.length} max ${m.toFixed(2)} unquiet-max ${mr.toFixed(2)} quietRows ${q} n=${file.values.length}`);
  }
}
