import type { Database } from "@meterplane/db";
import { Gauge, type Registry } from "prom-client";
import { getPipelineBacklog, type PipelineBacklog } from "./get-pipeline-backlog.ts";

/**
 * The gauges web and worker both expose, read when Prometheus scrapes: queue depth per job state, and the
 * backlog of stored-but-unaggregated batches with its age (the aggregation lag). One backlog query serves
 * both backlog gauges of a scrape.
 */
export function registerPipelineMetrics({
  registry,
  db,
  queueCounts,
}: {
  registry: Registry;
  db: Database;
  queueCounts: () => Promise<Record<string, number>>;
}) {
  let backlog: { at: number; value: Promise<PipelineBacklog> } | undefined;
  const readBacklog = () => {
    if (!backlog || Date.now() - backlog.at > 1000)
      backlog = { at: Date.now(), value: getPipelineBacklog({ db }) };
    return backlog.value;
  };
  new Gauge({
    name: "mp_queue_depth",
    help: "Aggregation jobs in the queue, by state",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      for (const [state, count] of Object.entries(await queueCounts())) this.set({ state }, count);
    },
  });
  new Gauge({
    name: "mp_unaggregated_batches",
    help: "Stored batches not yet folded into rollups (counted up to 100000)",
    registers: [registry],
    async collect() {
      this.set((await readBacklog()).batches);
    },
  });
  new Gauge({
    name: "mp_aggregation_lag_seconds",
    help: "Age of the oldest stored batch not yet folded into rollups",
    registers: [registry],
    async collect() {
      this.set((await readBacklog()).lagSeconds);
    },
  });
}
