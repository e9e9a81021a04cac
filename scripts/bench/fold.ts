import { randomUUID } from "node:crypto";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { gunzipSync, gzipSync } from "node:zlib";
import { foldDays, foldStoredBatches, rollupCopyChunks } from "@meterplane/usage";
import { type Sample, seriesOfSamples } from "@meterplane/wire";
import { environmentSeries, environmentsPerHost } from "../lib/fleet-shape.ts";

/**
 * The worker's CPU share of one aggregation group, without Postgres: a fleet-shaped window (`hosts` hosts ×
 * two 10 s ticks of 10 environments × 14 series, bodies gzipped at level 1 as the fleet bench's collectors
 * send them and ingest stores them) decoded, folded into hourly and daily rollups and written as COPY text by
 * the functions `aggregateBatches` uses. Reports CPU µs per sample (median of several runs) beside the
 * baseline of gunzip + JSON.parse alone of the same bodies, and the longest event-loop block while a
 * window twice as large (a 4,000-host group) is folded.
 */
const hosts = Number(process.env.BENCH_FOLD_HOSTS ?? 2000);
const runs = Number(process.env.BENCH_FOLD_RUNS ?? 5);
const ticks = 2;
const meters = environmentSeries;
const tenantId = randomUUID();
const tenantOf = () => tenantId;
// Half past an hour: both ticks fall in one hour, as most of a fleet's windows do.
const firstTick = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 1_800_000;

/** A window of `count` hosts' stored bodies, two ticks each (values vary, as the fleet bench's do). */
function windowBodies(count: number): Buffer[] {
  const bodies: Buffer[] = [];
  for (let h = 0; h < count; h++) {
    const environments = Array.from({ length: environmentsPerHost }, () => randomUUID());
    for (let tick = 0; tick < ticks; tick++) {
      const start = new Date(firstTick + tick * 10_000).toISOString();
      const samples: Sample[] = environments.flatMap((environmentId, e) =>
        meters.map(({ meter, dimensions }, i) => ({
          environmentId,
          meter,
          start,
          seconds: 10,
          value: `${((h + tick) * 31 + e * 7 + i) % 100_000}.125`,
          ...(dimensions ? { dimensions } : {}),
        })),
      );
      const batch = { sequence: tick + 1, collectorVersion: "0.2.0", series: seriesOfSamples(samples) };
      bodies.push(gzipSync(JSON.stringify(batch), { level: 1 }));
    }
  }
  return bodies;
}

/** What the worker computes for a group before Postgres: the COPY text of its hourly and daily rows. */
async function foldWindow(bodies: Buffer[]): Promise<{ samples: number; rows: number; bytes: number }> {
  const { samples, hourly } = await foldStoredBatches(bodies, tenantOf);
  const daily = await foldDays(hourly);
  let bytes = 0;
  // The COPY stream takes a chunk at a time, letting the event loop turn between them.
  for (const rows of [hourly, daily])
    for (const chunk of rollupCopyChunks(rows)) {
      bytes += chunk.length;
      await new Promise(setImmediate);
    }
  return { samples, rows: hourly.length + daily.length, bytes };
}

function decodeOnly(bodies: Buffer[]): number {
  let series = 0;
  for (const body of bodies) series += JSON.parse(gunzipSync(body).toString("utf8")).series.length;
  return series;
}

const cpuMicros = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return used.user + used.system;
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const bodies = windowBodies(hosts);
const samplesPerWindow = hosts * ticks * environmentsPerHost * meters.length;
console.log(
  `window: ${hosts} hosts × ${ticks} ticks = ${bodies.length} batches, ${samplesPerWindow} samples, ${Math.round(bodies.reduce((n, b) => n + b.length, 0) / 1024)} KiB stored`,
);
const foldMicros: number[] = [];
const baselineMicros: number[] = [];
for (let run = 0; run < runs; run++) {
  let since = process.cpuUsage();
  decodeOnly(bodies);
  baselineMicros.push(cpuMicros(since) / samplesPerWindow);
  since = process.cpuUsage();
  const folded = await foldWindow(bodies);
  foldMicros.push(cpuMicros(since) / samplesPerWindow);
  if (folded.samples !== samplesPerWindow) throw new Error(`folded ${folded.samples} samples`);
  if (run === 0)
    console.log(`  ${folded.rows} rollup rows, ${Math.round(folded.bytes / 1024)} KiB of COPY text`);
}
const fold = median(foldMicros);
const baseline = median(baselineMicros);
console.log(
  `worker CPU per sample, median of ${runs}: fold ${fold.toFixed(2)} µs (runs ${foldMicros.map((m) => m.toFixed(2)).join(", ")}); baseline gunzip + JSON.parse ${baseline.toFixed(2)} µs`,
);

// The longest the event loop waits while one 4,000-host group is folded: BullMQ renews job locks on it.
const large = windowBodies(2 * hosts);
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
// The histogram records from its second tick on.
await new Promise((resolve) => setTimeout(resolve, 20));
const started = performance.now();
const largeCpu = process.cpuUsage();
await foldWindow(large);
const foldMs = performance.now() - started;
const largeMicros = cpuMicros(largeCpu) / (2 * samplesPerWindow);
// A block is recorded when the loop next turns.
await new Promise((resolve) => setTimeout(resolve, 20));
delay.disable();
const blockMs = delay.max / 1e6;
console.log(
  `a ${2 * hosts}-host group (${large.length} batches) folded in ${Math.round(foldMs)} ms of wall time, ${largeMicros.toFixed(2)} µs of CPU per sample; longest event-loop block ${Math.round(blockMs)} ms`,
);
console.log(
  `fold: hosts=${hosts} us_per_sample=${fold.toFixed(2)} baseline_us_per_sample=${baseline.toFixed(2)} ratio=${(fold / baseline).toFixed(2)} max_block_ms=${Math.round(blockMs)}`,
);
