import type { Meter } from "./meter.ts";

/**
 * Transactions the environment's processes reported to the local endpoint since the previous tick
 * (see transactions/endpoint.ts). Counted in memory between ticks: reports received after the last
 * committed tick are lost if the collector is killed.
 */
export const transactionsMeter: Meter = {
  name: "transactions",
  kind: "counter",
  scale: 0,
  delta: true,
  read(scope) {
    return scope.reports ? [{ value: scope.reports() }] : null;
  },
};
