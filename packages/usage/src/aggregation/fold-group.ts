import { countSamples, decodeStoredBatch } from "@meterplane/wire";
import { type Rollup, rollUpSeries } from "./roll-up-samples.ts";

/**
 * The worker's share of a group before anything is written: decodes the claimed batches' stored bodies and
 * folds their samples into hourly rollups, one per series-hour of the whole group. A batch is decoded only
 * when the fold reaches it, so only one batch's samples are alive at a time.
 */
export function foldStoredBatches(
  bodies: Iterable<Uint8Array>,
  tenantOf: (environmentId: string) => string,
): { samples: number; hourly: Rollup[] } {
  let samples = 0;
  function* groupSeries() {
    for (const body of bodies) {
      const batch = decodeStoredBatch(body);
      samples += countSamples(batch);
      yield* batch.series;
    }
  }
  const hourly = rollUpSeries(groupSeries(), tenantOf);
  return { samples, hourly };
}
