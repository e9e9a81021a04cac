export {
  type DetectorSettings,
  detectorSettings,
  type PointScore,
  scorePoint,
} from "./detector/score-point.ts";
export { advanceSeasonalModel, readSeason } from "./detector/seasonal-model.ts";
export {
  type AnomalyKind,
  createSeriesState,
  dailyBuckets,
  readSeriesState,
  type SeriesState,
  seriesStateSchema,
} from "./detector/series-state.ts";
export { checkSilence, silenceSettings, silentAfter } from "./silence/check-silence.ts";
