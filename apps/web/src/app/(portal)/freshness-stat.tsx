import { getPipelineBacklog } from "@meterplane/usage";
import { Stat } from "@/components/ui";
import { services } from "@/lib/server";

/**
 * Freshness, as one figure: every sample acknowledged longer ago than this is in the rollups (the age of the
 * oldest batch still waiting for aggregation). The worker's /metrics has its distribution
 * (`mp_rollup_freshness_seconds`).
 */
export async function FreshnessStat() {
  const { batches, lagSeconds } = await getPipelineBacklog({ db: services().db });
  return (
    <Stat
      testId="freshness"
      label="Rollup freshness"
      value={batches ? `within ${Math.ceil(lagSeconds)} s` : "up to date"}
      hint={
        batches ? `${batches} batches waiting for aggregation` : "every acknowledged sample is in the rollups"
      }
    />
  );
}
