/**
 * Whether aggregation is behind: a batch in the worker's hands (waiting for its group, or in one) was stored
 * longer than `behindMs` ago. Read by the anomaly scan, which then takes a smaller share of the time, so that
 * under load the worker and Postgres go to billing's rollups first. Until the aggregate job names its source
 * (`track`), nothing is behind.
 */
export interface AggregationLag {
  /** `oldestWaiting` gives when the oldest batch in hand was stored (epoch ms), or undefined when none is. */
  track(oldestWaiting: () => number | undefined): void;
  behind(now?: number): boolean;
}

export function createAggregationLag({ behindMs }: { behindMs: number }): AggregationLag {
  let oldestWaiting: () => number | undefined = () => undefined;
  return {
    track(source) {
      oldestWaiting = source;
    },
    behind(now = Date.now()) {
      const oldest = oldestWaiting();
      return oldest !== undefined && now - oldest > behindMs;
    },
  };
}
