import { createSeriesState, type DetectorSettings, detectorSettings, scorePoint } from "@meterplane/anomaly";
import { readBenchmarkFiles } from "@meterplane/nab";

const corpus = readBenchmarkFiles();
const settings = {
  ...detectorSettings,
  ...(JSON.parse(process.env.MP_SET ?? "{}") as Partial<DetectorSettings>),
};
const kinds: Record<string, number> = {};
const ctx: Record<string, number> = {};
let missed = 0;
const tpPrev: string[] = [];
for (const file of corpus) {
  const state = createSeriesState();
  const probation = Math.floor(0.15 * file.values.length);
  const alerts: { i: number; kind: string; inWin: boolean; prev: string }[] = [];
  let lastAlert: { i: number; kind: string } | null = null;
  const winMax = file.windows.map(() => 0);
  file.timestamps.forEach((at, i) => {
    const r = scorePoint(state, at, file.values[i]!, settings);
    const w = file.windows.findIndex(([a, b]) => at >= a && at <= b);
    if (w >= 0) winMax[w] = Math.max(winMax[w]!, r.score);
    if (r.score >= 0.5 && i >= probation) {
      const dir = r.kind === "drift" ? (state.level + state.offset < state.anchor ? "down" : "up") : "";
      const prev = lastAlert ? `${lastAlert.kind}@-${i - lastAlert.i}` : "none";
      alerts.push({ i, kind: `${r.kind}${dir}`, inWin: w >= 0, prev });
    }
    if (r.score >= 0.5) lastAlert = { i, kind: r.kind! };
  });
  const fp = alerts.filter((a) => !a.inWin);
  for (const a of fp) {
    kinds[a.kind] = (kinds[a.kind] ?? 0) + 1;
    const p =
      a.prev === "none"
        ? "none"
        : `${a.prev.split("@")[0]}${Number(a.prev.split("-")[1]) < 400 ? "<400" : ">=400"}`;
    ctx[`${a.kind} after ${p}`] = (ctx[`${a.kind} after ${p}`] ?? 0) + 1;
  }
  const firstIn = new Set<number>();
  for (const a of alerts) {
    if (!a.inWin) continue;
    const w = file.windows.findIndex(([x, y]) => file.timestamps[a.i]! >= x && file.timestamps[a.i]! <= y);
    if (firstIn.has(w)) continue;
    firstIn.add(w);
    tpPrev.push(a.prev);
  }
  const miss = winMax.filter((m) => m < 0.5).length;
  missed += miss;
  console.log(
    `${file.name.padEnd(60)} n=${file.values.length} fp=${fp.length} tp=${alerts.length - fp.length} missed=${miss}/${file.windows.length} ${fp.map((a) => `${a.kind}(${a.prev})`).join(" ")}`,
  );
}
console.log(kinds, `missed ${missed}`);
console.log(Object.entries(ctx).sort((a, b) => b[1] - a[1]));
console.log("first in-window alerts, previous alert:", tpPrev.join(" "));
