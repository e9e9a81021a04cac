import { registerPipelineMetrics } from "@meterplane/usage";
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import { services } from "./server";

export interface WebMetrics {
  registry: Registry;
  ingestBatches: Counter<"status">;
  ingestSamples: Counter;
  ingestRejected: Counter<"code">;
  ingestAckSeconds: Histogram;
}

// Kept on globalThis: Next bundles routes separately, and /metrics must read what ingest counted.
const globalMetrics = globalThis as unknown as { meterplaneMetrics?: WebMetrics };

/** The web process's Prometheus registry, served on GET /metrics. */
export function webMetrics(): WebMetrics {
  if (!globalMetrics.meterplaneMetrics) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    registerPipelineMetrics({
      registry,
      db: services().db,
      queueCounts: () => services().aggregateQueue.getJobCounts("waiting", "active", "delayed", "failed"),
    });
    globalMetrics.meterplaneMetrics = {
      registry,
      ingestBatches: new Counter({
        name: "mp_ingest_batches_total",
        help: "Batches acknowledged by ingest, by status (accepted, duplicate)",
        labelNames: ["status"],
        registers: [registry],
      }),
      ingestSamples: new Counter({
        name: "mp_ingest_samples_total",
        help: "Samples in newly accepted batches",
        registers: [registry],
      }),
      ingestRejected: new Counter({
        name: "mp_ingest_rejected_total",
        help: "Batches refused by ingest, by error code",
        labelNames: ["code"],
        registers: [registry],
      }),
      ingestAckSeconds: new Histogram({
        name: "mp_ingest_ack_seconds",
        help: "Time from request to acknowledgement (or refusal) on POST /api/v1/ingest",
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        registers: [registry],
      }),
    };
  }
  return globalMetrics.meterplaneMetrics;
}
