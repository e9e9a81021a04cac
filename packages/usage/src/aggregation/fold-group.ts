import { countSamples, decodeStoredBatch } from "@meterplane/wire";
import { openDayFold, openFold, type Rollup } from "./roll-up-samples.ts";

/**
 * How long a fold runs before it lets the event loop turn. A window of 8,000 batches folded at once blocked
 * it for seconds, long enough for BullMQ's job locks to lapse and their jobs to stall and run again.
 */
const sliceMs = 10;

/** Resolves once the event loop has turned (timers, I/O and lock renewals had their go). */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The worker's share of a group before anything is written: decodes the claimed batches' stored bodies and
 * folds their samples into hourly rollups, one per series-hour of the whole group, in slices of `sliceMs`.
 * A batch is decoded only when the fold reaches it, so only one batch's samples are alive at a time.
 */
export async function foldStoredBatches(
  bodies: Uint8Array[],
  tenantOf: (environmentId: string) => string,
): Promise<{ samples: number; hourly: Rollup[] }> {
  const fold = openFold(tenantOf);
  let samples = 0;
  let sliceEnd = performance.now() + sliceMs;
  for (const body of bodies) {
    if (performance.now() > sliceEnd) {
      await turn();
      sliceEnd = performance.now() + sliceMs;
    }
    const batch = decodeStoredBatch(body);
    samples += countSamples(batch);
    fold.add(batch.series);
  }
  await turn();
  return { samples, hourly: fold.finish() };
}

/** `rollUpDays` in slices of `sliceMs`: a 4,000-host window's 560,000 series-hours took 1.5 s at once. */
export async function foldDays(hourly: Rollup[]): Promise<Rollup[]> {
  const days = openDayFold();
  let sliceEnd = performance.now() + sliceMs;
  for (let i = 0; i < hourly.length; i++) {
    // Reading the clock costs as much as folding a few rows.
    if (i % 256 === 255 && performance.now() > sliceEnd) {
      await turn();
      sliceEnd = performance.now() + sliceMs;
    }
    days.add(hourly[i]!);
  }
  return days.daily;
}
