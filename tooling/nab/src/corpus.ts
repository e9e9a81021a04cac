import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { CostMatrix } from "./sweep.ts";

/**
 * NAB as kept in the repository (`tooling/nab/benchmark`, MIT like NAB: its LICENSE-NAB.txt), or another copy
 * at MP_NAB_DIR: all 58 data files, labelled windows, cost profiles, the published detectors' per-file score
 * tables, and two detectors' per-row results. In the repository so that a clone anywhere tests and benches
 * the same files.
 */
export const benchmarkDir = process.env.MP_NAB_DIR ?? new URL("../benchmark", import.meta.url).pathname;

/**
 * The 18 files shipped first: the detector was developed and tuned on these alone. The other 40 (NAB's real
 * cloud, ad exchange, traffic and tweet series, and the rest of realKnownCause) came later; the detector's
 * first run on them, with the threshold chosen on these 18, is its blind ("never seen") figure.
 */
export const shippedFiles: ReadonlySet<string> = new Set([
  "artificialNoAnomaly/art_daily_no_noise.csv",
  "artificialNoAnomaly/art_daily_perfect_square_wave.csv",
  "artificialNoAnomaly/art_daily_small_noise.csv",
  "artificialNoAnomaly/art_flatline.csv",
  "artificialNoAnomaly/art_noisy.csv",
  "artificialWithAnomaly/art_daily_flatmiddle.csv",
  "artificialWithAnomaly/art_daily_jumpsdown.csv",
  "artificialWithAnomaly/art_daily_jumpsup.csv",
  "artificialWithAnomaly/art_daily_nojump.csv",
  "artificialWithAnomaly/art_increase_spike_density.csv",
  "artificialWithAnomaly/art_load_balancer_spikes.csv",
  "realKnownCause/ambient_temperature_system_failure.csv",
  "realKnownCause/cpu_utilization_asg_misconfiguration.csv",
  "realKnownCause/ec2_request_latency_system_failure.csv",
  "realKnownCause/machine_temperature_system_failure.csv",
  "realKnownCause/nyc_taxi.csv",
  "realKnownCause/rogue_agent_key_hold.csv",
  "realKnownCause/rogue_agent_key_updown.csv",
]);

export const profileNames = ["standard", "reward_low_FP_rate", "reward_low_FN_rate"] as const;
export type ProfileName = (typeof profileNames)[number];

const windowsSchema = z.record(z.string(), z.array(z.tuple([z.string(), z.string()])));
const profilesSchema = z.record(
  z.string(),
  z.object({ CostMatrix: z.object({ tpWeight: z.number(), fpWeight: z.number(), fnWeight: z.number() }) }),
);
const thresholdsSchema = z.record(
  z.string(),
  z.record(z.string(), z.object({ score: z.number(), threshold: z.number() })),
);

/** NAB's timestamps are naive; read as UTC, with or without microseconds. */
export const parseTimestamp = (text: string) => Date.parse(`${text.trim().replace(" ", "T").slice(0, 23)}Z`);

export const readJson = (path: string) =>
  JSON.parse(readFileSync(join(benchmarkDir, path), "utf8")) as unknown;

export interface BenchmarkFile {
  /** NAB's name for it, `<category>/<file>.csv`. */
  name: string;
  timestamps: number[];
  values: number[];
  windows: [number, number][];
}

export function benchmarkAvailable(): boolean {
  return existsSync(join(benchmarkDir, "labels/windows.json"));
}

/** Every data file with its windows, in name order. */
export function readBenchmarkFiles(): BenchmarkFile[] {
  const windows = windowsSchema.parse(readJson("labels/windows.json"));
  return Object.keys(windows)
    .sort()
    .map((name) => {
      const rows = readCsv(join(benchmarkDir, "data", name));
      return {
        name,
        timestamps: rows.map((row) => parseTimestamp(row.timestamp!)),
        values: rows.map((row) => Number(row.value)),
        windows: windows[name]!.map(([start, end]) => [parseTimestamp(start), parseTimestamp(end)]),
      };
    });
}

export function readProfiles(): Record<ProfileName, CostMatrix> {
  const profiles = profilesSchema.parse(readJson("config/profiles.json"));
  return Object.fromEntries(profileNames.map((name) => [name, profiles[name]!.CostMatrix])) as Record<
    ProfileName,
    CostMatrix
  >;
}

/** A published detector's threshold per profile, optimised by NAB over its whole corpus. */
export function readPublishedThreshold(detector: string, profile: ProfileName): number {
  const thresholds = thresholdsSchema.parse(readJson("config/thresholds.json"));
  const entry = thresholds[detector]?.[profile];
  if (!entry) throw new Error(`no published threshold for ${detector} ${profile}`);
  return entry.threshold;
}

/** The published detectors whose per-row results are shipped. */
export function referenceDetectors(): string[] {
  return readdirSync(join(benchmarkDir, "reference-results")).sort();
}

/** A published detector's rows for one file, or undefined when that file's results are not shipped. */
export function readReferenceResult(detector: string, name: string): Record<string, string>[] | undefined {
  const [category, file] = name.split("/");
  const path = join(benchmarkDir, "reference-results", detector, category!, `${detector}_${file}`);
  return existsSync(path) ? readCsv(path) : undefined;
}

/** NAB's CSVs hold numbers, names and timestamps only: no quoting to handle. */
export function readCsv(path: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path, "utf8").trim().split("\n");
  const columns = header!.trim().split(",");
  return lines.map((line) => {
    const cells = line.trim().split(",");
    return Object.fromEntries(columns.map((column, i) => [column, cells[i] ?? ""]));
  });
}
