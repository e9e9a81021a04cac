import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { CostMatrix } from "./sweep.ts";

/**
 * The part of NAB kept in the repository (`tooling/nab/benchmark`, MIT like NAB: its LICENSE-NAB.txt), or
 * another copy at MP_NAB_DIR: data files, labelled windows, cost profiles, and the published detectors'
 * per-row results. In the repository so that a clone anywhere tests and benches the same files.
 */
export const benchmarkDir = process.env.MP_NAB_DIR ?? new URL("../benchmark", import.meta.url).pathname;

export const profileNames = ["standard", "reward_low_FP_rate", "reward_low_FN_rate"] as const;
export type ProfileName = (typeof profileNames)[number];

const windowsSchema = z.record(z.string(), z.array(z.tuple([z.string(), z.string()])));
const labelsSchema = z.record(z.string(), z.array(z.string()));
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

const readJson = (path: string) => JSON.parse(readFileSync(join(benchmarkDir, path), "utf8")) as unknown;

export interface BenchmarkFile {
  /** NAB's name for it, `<category>/<file>.csv`. */
  name: string;
  timestamps: number[];
  values: number[];
  windows: [number, number][];
  labels: number;
}

export function benchmarkAvailable(): boolean {
  return existsSync(join(benchmarkDir, "labels/windows.json"));
}

/** Every data file with its windows, in name order. */
export function readBenchmarkFiles(): BenchmarkFile[] {
  const windows = windowsSchema.parse(readJson("labels/windows.json"));
  const labels = labelsSchema.parse(readJson("labels/labels.json"));
  return Object.keys(windows)
    .sort()
    .map((name) => {
      const rows = readCsv(join(benchmarkDir, "data", name));
      return {
        name,
        timestamps: rows.map((row) => parseTimestamp(row.timestamp!)),
        values: rows.map((row) => Number(row.value)),
        windows: windows[name]!.map(([start, end]) => [parseTimestamp(start), parseTimestamp(end)]),
        labels: labels[name]?.length ?? 0,
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

/** NAB's CSVs hold numbers and timestamps only: no quoting to handle. */
function readCsv(path: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path, "utf8").trim().split("\n");
  const columns = header!.trim().split(",");
  return lines.map((line) => {
    const cells = line.trim().split(",");
    return Object.fromEntries(columns.map((column, i) => [column, cells[i] ?? ""]));
  });
}
