import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import { AppError, isAppError } from "@meterplane/core";
import type { Database } from "@meterplane/db";
import { assertCollectorVersion } from "@meterplane/fleet";
import {
  type CheckedBatch,
  checkBatch,
  type HostEnvironments,
  isStoredBatch,
  storeBatch,
} from "@meterplane/usage";
import { type IngestAck, maxBatchBytes, parseBatch } from "@meterplane/wire";
import { describeApiError, parseJson, readEncodedBody } from "@/lib/api";
import { env } from "@/lib/env";
import { webMetrics } from "@/lib/metrics";
import { services } from "@/lib/server";
import { authenticateHostCached } from "./authenticate-cached";
import { assertBacklogRoom, backlogRetryAfterSeconds } from "./backlog";
import { noteHostContact } from "./host-contacts";

/**
 * The request's batch: read (gzip allowed, size-limited), validated (either wire form) and reduced to what
 * storing it needs. Nothing else of the request outlives this: not the JSON text, nor the parsed batch,
 * which would otherwise stay reachable across the insert's round trip.
 */
async function receiveBatch(
  request: IncomingMessage,
  { db, hostId, environments }: { db: Database; hostId: string; environments: HostEnvironments },
): Promise<CheckedBatch> {
  if (!(request.headers["content-type"] ?? "").startsWith("application/json")) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "send the batch as application/json");
  }
  const { text, gzip } = await readEncodedBody(
    request,
    {
      contentLength: request.headers["content-length"],
      contentEncoding: request.headers["content-encoding"],
    },
    maxBatchBytes,
  );
  return checkBatch({
    db,
    hostId,
    batch: parseBatch(parseJson(text)),
    // The stored body is the batch exactly as sent, whichever form and encoding it came in.
    body: gzip ?? gzipSync(text, { level: 1 }),
    environments,
  });
}

/**
 * A collector's batch: authenticated, read, validated, checked against the backlog (a replay passes, to be
 * answered as one), and committed to Postgres before the 202. Anything refused is refused before a write.
 */
async function ingest(request: IncomingMessage): Promise<IngestAck> {
  const { db, enqueueAggregation } = services();
  const { host, environments, minimumCollectorVersion } = await authenticateHostCached({
    db,
    authorization: request.headers.authorization ?? null,
  });
  // 426 for a collector below its host's minimum, before the body is read.
  const version = request.headers["x-collector-version"];
  assertCollectorVersion(typeof version === "string" ? version : undefined, minimumCollectorVersion);
  const checked = await receiveBatch(request, { db, hostId: host.hostId, environments });
  await assertBacklogRoom({
    db,
    limit: env().INGEST_BACKLOG_LIMIT,
    isReplay: () => isStoredBatch({ db, hostId: checked.hostId, sequence: checked.sequence }),
  });
  const accepted = await storeBatch({ db, checked });
  // The batch is durable now. If Redis is away its job is lost, but the sweeper finds the batch again.
  if (accepted.status === "accepted")
    enqueueAggregation.add({
      batchId: accepted.batchId,
      receivedAt: accepted.receivedAt.toISOString(),
      hostId: host.hostId,
    });
  noteHostContact(db, host.hostId, checked.collectorVersion);
  const metrics = webMetrics();
  metrics.ingestBatches.inc({ status: accepted.status });
  if (accepted.status === "accepted") metrics.ingestSamples.inc(checked.sampleCount);
  return {
    batchId: accepted.batchId,
    status: accepted.status,
    ...(accepted.dropped && { dropped: accepted.dropped }),
  };
}

/** Seconds a collector is told to wait before it sends the refused batch again. */
const retryAfterSeconds = { BACKLOG_FULL: backlogRetryAfterSeconds, UNAVAILABLE: 5 };

/**
 * Postgres away (restarting, refusing connections) is the server's condition, not the batch's: 503 with
 * Retry-After, and no log line per request (the pool's outage log says it once, and once when it ends).
 */
function unavailableWhenUnreachable(error: unknown): unknown {
  if (isAppError(error) || !services().db.unreachable(error)) return error;
  return new AppError("UNAVAILABLE", "the database is unreachable; keep this batch and retry shortly");
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
    const { code, status, body } = describeApiError(unavailableWhenUnreachable(error));
    metrics.ingestRejected.inc({ code });
    const retryAfter = retryAfterSeconds[code as keyof typeof retryAfterSeconds];
    send(response, status, body, retryAfter ? { "retry-after": String(retryAfter) } : {});
  } finally {
    stopTimer();
  }
}
