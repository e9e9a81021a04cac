import { createSeriesState, scorePoint } from "@meterplane/anomaly";
import {
  type BenchmarkFile,
  benchmarkAvailable,
  benchmarkDir,
  type ProfileName,
  profileNames,
  readBenchmarkFiles,
  readProfiles,
  readPublishedThreshold,
  readReferenceResult,
  referenceDetectors,
  scoreCorpus,
} from "@meterplane/nab";

/**
 * `npm run bench -- anomaly`: the product's streaming detector (the code the worker runs) fed every file of
 * the shipped part of NAB point by point, scored by our port of NAB's scorer with the threshold chosen as
 * NAB chooses it (the best over the files scored), beside the published detectors' shipped results
 * scored by the same code; then the detector's cost on one core.
 *
 * Held out: the detector's constants were tuned on the files of `tuning` only; the other labelled files
 * were looked at only through this bench's held-out line, where the threshold is chosen on the tuning
 * files and applied unchanged.
 */
const tuning = new Set([
  "artificialWithAnomaly/art_daily_flatmiddle.csv",
  "artificialWithAnomaly/art_daily_jumpsup.csv",
  "artificialWithAnomaly/art_increase_spike_density.csv",
  "realKnownCause/ambient_temperature_system_failure.csv",
  "realKnownCause/ec2_request_latency_system_failure.csv",
  "realKnownCause/rogue_agent_key_hold.csv",
  "artificialNoAnomaly/art_daily_small_noise.csv",
  "artificialNoAnomaly/art_flatline.csv",
]);

if (!benchmarkAvailable()) {
  console.error(`anomaly bench: no benchmark at ${benchmarkDir} (set MP_NAB_DIR)`);
  process.exit(2);
}
const files = readBenchmarkFiles();
const profiles = readProfiles();
const detectors = referenceDetectors();

function detect(file: BenchmarkFile): number[] {
  const state = createSeriesState();
  return file.timestamps.map((at, i) => scorePoint(state, at, file.values[i]!).score);
}

const ours = new Map(files.map((file) => [file.name, detect(file)]));
const referenceFiles = files.filter((file) => detectors.every((d) => readReferenceResult(d, file.name)));
const published = new Map(
  detectors.map((detector) => [
    detector,
    new Map(
      referenceFiles.map((file) => [
        file.name,
        readReferenceResult(detector, file.name)!.map((row) => Number(row.anomaly_score)),
      ]),
    ),
  ]),
);

const fmt = (value: number) => value.toFixed(1);
const results: Record<string, Record<ProfileName, number>> = {};
console.log(`NAB, shipped part: ${files.length} files, ${referenceFiles.length} with published results`);
console.log("detector                files  threshold  standard  low_FP  low_FN");
function report(
  label: string,
  set: readonly BenchmarkFile[],
  scores: ReadonlyMap<string, readonly number[]>,
  detector?: string,
) {
  const row = {} as Record<ProfileName, number>;
  const thresholds: string[] = [];
  for (const profile of profileNames) {
    const threshold = detector ? readPublishedThreshold(detector, profile) : undefined;
    const result = scoreCorpus(set, scores, profiles[profile], threshold);
    row[profile] = result.normalized;
    thresholds.push(result.threshold.toFixed(3));
  }
  results[label] = row;
  console.log(
    `${label.padEnd(24)}${String(set.length).padStart(5)}  ${thresholds[0]!.padStart(9)}  ${fmt(row.standard).padStart(8)}  ${fmt(row.reward_low_FP_rate).padStart(6)}  ${fmt(row.reward_low_FN_rate).padStart(6)}`,
  );
  return row;
}
const mine = report("meterplane (all files)", files, ours);
report("meterplane (13 labelled)", referenceFiles, ours);
for (const detector of detectors) {
  report(`${detector}`, referenceFiles, published.get(detector)!);
  report(`${detector} (NAB thr.)`, referenceFiles, published.get(detector)!, detector);
}

// Held out: threshold chosen on the tuning files, applied to the files never tuned on.
const heldOut = files.filter((file) => !tuning.has(file.name));
const tuned = files.filter((file) => tuning.has(file.name));
for (const profile of ["standard"] as const) {
  const onTuning = scoreCorpus(tuned, ours, profiles[profile]);
  const onHeldOut = scoreCorpus(heldOut, ours, profiles[profile], onTuning.threshold);
  console.log(
    `held out (${heldOut.length} files, threshold ${onTuning.threshold.toFixed(3)} from the ${tuned.length} tuning files): standard ${fmt(onHeldOut.normalized)} (tuning files ${fmt(onTuning.normalized)})`,
  );
  for (const file of onHeldOut.files)
    console.log(`  ${file.name}: ${file.score.score.toFixed(3)} tp=${file.score.tp} fp=${file.score.fp}`);
  // The same split of the files with published results, each detector's threshold chosen on its tuning part.
  for (const [label, scores] of [["meterplane", ours], ...published] as const) {
    const tunedPart = scoreCorpus(
      referenceFiles.filter((file) => tuning.has(file.name)),
      scores,
      profiles[profile],
    );
    const heldPart = referenceFiles.filter((file) => !tuning.has(file.name));
    const held = scoreCorpus(heldPart, scores, profiles[profile], tunedPart.threshold);
    console.log(
      `held out, labelled (${heldPart.length} files): ${label.padEnd(12)} standard ${held.normalized.toFixed(2)} (threshold ${tunedPart.threshold.toFixed(3)})`,
    );
  }
}

// Cost: every file streamed through fresh states, best of three passes, one core.
const points = files.reduce((sum, file) => sum + file.values.length, 0);
let best = Number.POSITIVE_INFINITY;
for (let pass = 0; pass < 3; pass++) {
  const started = performance.now();
  for (const file of files) detect(file);
  best = Math.min(best, performance.now() - started);
}
const pointsPerSecond = Math.round(points / (best / 1000));
const stateBytes = Math.max(
  ...files.map((file) => {
    const state = createSeriesState();
    file.timestamps.forEach((at, i) => {
      scorePoint(state, at, file.values[i]!);
    });
    return Buffer.byteLength(JSON.stringify(state));
  }),
);
const needed = (10_000 * 8) / 10;
console.log(
  `cost: ${points} points in ${(best / 1000).toFixed(2)} s = ${pointsPerSecond} points/s on one core (10,000 environments × 8 meters every 10 s need ${needed}/s); state ≤ ${stateBytes} bytes of JSON per series`,
);
console.log(
  `anomaly: nab_standard=${fmt(mine.standard)} nab_low_fp=${fmt(mine.reward_low_FP_rate)} nab_low_fn=${fmt(mine.reward_low_FN_rate)} numenta_standard=${fmt(results.numenta!.standard)} twitter_standard=${fmt(results.twitterADVec!.standard)} points_per_s=${pointsPerSecond} state_bytes=${stateBytes}`,
);
