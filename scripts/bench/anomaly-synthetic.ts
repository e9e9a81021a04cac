import { createSeriesState, type DetectorSettings, detectorSettings, scorePoint } from "@meterplane/anomaly";
import { syntheticSeries } from "../../packages/anomaly/src/testing/synthetic-series.ts";

/**
 * Diagnosis (issue #20): what the detector costs an ordinary product series. Alerts (score at the alert level)
 * after the first two days of 28 days of 5-minute points (100 + N(0, 1) noise, with or without a daily swing
 * of 20 deviations), three seeds each: series with no anomaly (pure noise, the daily swing) and steadily
 * growing ones (0.002, 0.005 and 0.01 deviations a point), the unit tests' shapes. `MP_VARIANTS` is a JSON
 * array of setting overrides, each printed after the default.
 */
const variants: Partial<DetectorSettings>[] = [{}, ...JSON.parse(process.env.MP_VARIANTS ?? "[]")];
const shapes: [string, number, number][] = [
  ["noise", 0, 0],
  ["daily", 20, 0],
  ["grow.002", 0, 0.002],
  ["grow.005", 0, 0.005],
  ["grow.01", 0, 0.01],
  ["daily+grow.002", 20, 0.002],
  ["daily+grow.005", 20, 0.005],
  ["daily+grow.01", 20, 0.01],
];
const learning = 2 * 288;
for (const variant of variants) {
  const settings = { ...detectorSettings, ...variant };
  const row = shapes.map(([name, amplitude, growth]) => {
    const counts = [1, 2, 3].map((seed) => {
      const state = createSeriesState();
      return syntheticSeries({ days: 28, amplitude, seed, departure: (i) => growth * i }).filter(
        ({ at, value }, i) =>
          scorePoint(state, at, value, settings).score >= settings.alertScore && i >= learning,
      ).length;
    });
    return `${name}=${counts.join(",")}`;
  });
  console.log(`${JSON.stringify(variant)}: ${row.join(" ")}`);
}
