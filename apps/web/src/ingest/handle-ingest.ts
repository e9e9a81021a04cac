import type { IncomingMessage, ServerResponse } from "node:http";
import { AppError } from "@meterplane/core";
import { recordHostContact } from "@meterplane/fleet";
import { acceptBatch } from "@meterplane/usage";
import { type Batch, countSamples, type IngestAck, maxBatchBytes, parseBatch } from "@meterplane/wire";
import { describeApiError, parseJson, readEncodedBody } from "@/lib/api";
import { env } from "@/lib/env";
import { webMetrics } from "@/lib/metrics";
import { services } from "@/lib/server";
import { authenticateHostCached } from "./authenticate-cached";
import { assertBacklogRoom, backlogRetryAfterSeconds } from "./backlog";

/**
 * The request's batch, validated (either wire form, as series), and the gzip body it came in if it came
 * compressed (stored as is). Nothing else of the request outlives this: not the decompressed JSON, nor the
 * parsed objects of a flat batch, which may run to megabytes while the batch is being stored.
 */
async function readBatch(request: IncomingMessage): Promise<{ batch: Batch; gzip: Buffer | undefined }> {
  if (!(request.headers["content-type"] ?? "").startsWith("application/json")) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "send the batch as application/json");
  }
  const body = await readEncodedBody(
    request,
    {
      contentLength: request.headers["content-length"],
      contentEncoding: request.headers["content-encoding"],
    },
    maxBatchBytes,
  );
  return { batch: parseBatch(parseJson(body.text)), gzip: body.gzip };
}

/**
 * A collector's batch: authenticated, checked against the backlog, read (gzip allowed, size-limited),
 * validated, and committed to Postgres before the 202. Anything refused is refused before a write.
 */
async function ingest(request: IncomingMessage): Promise<IngestAck> {
  const { db, enqueueAggregation } = services();
  const { host, environments, fresh } = await authenticateHostCached({
    db,
    authorization: request.headers.authorization ?? null,
  });
  await assertBacklogRoom({ db, limit: env().INGEST_BACKLOG_LIMIT });
  const { batch, gzip } = await readBatch(request);
  const accepted = await acceptBatch({ db, hostId: host.hostId, batch, body: gzip, environments });
  // The batch is durable now. If Redis is away its job is lost, but the sweeper finds the batch again.
  if (accepted.status === "accepted")
    enqueueAggregation.add({ batchId: accepted.batchId, receivedAt: accepted.receivedAt.toISOString() });
  // Once per credential check, i.e. every few seconds per host rather than on every batch.
  if (fresh) await recordHostContact({ db, hostId: host.hostId, collectorVersion: batch.collectorVersion });
  const metrics = webMetrics();
  metrics.ingestBatches.inc({ status: accepted.status });
  if (accepted.status === "accepted") metrics.ingestSamples.inc(countSamples(batch));
  return { batchId: accepted.batchId, status: accepted.status };
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const json = JSON.stringify(body);
  // Head and body in one write: on this path a system call costs more than the JSON does.
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(json),
    "cache-control": "no-store",
    ...headers,
  });
  response.end(json);
}

/**
 * POST /api/v1/ingest, served by the web process's own HTTP server ahead of Next (`server.mjs`): the route
 * every collector calls every few seconds, where Next's request handling was half the CPU per batch.
 * Errors take the one API error shape.
 */
export async function handleIngest(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const metrics = webMetrics();
  const stopTimer = metrics.ingestAckSeconds.startTimer();
  try {
    send(response, 202, await ingest(request));
  } catch (error) {
    const { code, status, body } = describeApiError(error);
    metrics.ingestRejected.inc({ code });
    send(
      response,
      status,
      body,
      code === "BACKLOG_FULL" ? { "retry-after": String(backlogRetryAfterSeconds) } : {},
    );
  } finally {
    stopTimer();
  }
}
