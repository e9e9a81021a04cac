import { createServer, type Server } from "node:http";
import { createAggregateQueue } from "@meterplane/queue";
import { registerPipelineMetrics } from "@meterplane/usage";
import { collectDefaultMetrics } from "prom-client";
import type { RunningJob, WorkerContext } from "./jobs/job.ts";

/**
 * Serves the worker's Prometheus metrics on `METRICS_PORT` (`GET /metrics`). A port already taken is
 * logged, not fatal: aggregation matters more than its dashboard.
 */
export function serveMetrics({ env, db, producer, log, metrics }: WorkerContext): RunningJob {
  collectDefaultMetrics({ register: metrics });
  const queue = createAggregateQueue(producer);
  registerPipelineMetrics({
    registry: metrics,
    db,
    queueCounts: () => queue.getJobCounts("waiting", "active", "delayed", "failed"),
  });
  let server: Server | undefined;
  if (env.METRICS_PORT) {
    server = createServer(async (request, response) => {
      if (request.url !== "/metrics") return response.writeHead(404).end();
      try {
        const body = await metrics.metrics();
        response.writeHead(200, { "content-type": metrics.contentType }).end(body);
      } catch (error) {
        log.warn({ err: error }, "metrics scrape failed");
        response.writeHead(503).end();
      }
    });
    server.on("error", (error) => log.error({ err: error }, "metrics endpoint unavailable"));
    server.listen(env.METRICS_PORT, () => log.info({ port: env.METRICS_PORT }, "metrics on /metrics"));
  }
  return {
    async close() {
      await new Promise((resolve) => (server?.listening ? server.close(resolve) : resolve(undefined)));
      await queue.close();
    },
  };
}
