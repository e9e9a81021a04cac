import { AppError, type ErrorCode, isAppError } from "@meterplane/core";
import { recordHostContact } from "@meterplane/fleet";
import { acceptBatch } from "@meterplane/usage";
import { maxBatchBytes, parseBatch } from "@meterplane/wire";
import { ZodError } from "zod";
import { errorResponse, handleApiError, parseJson, readEncodedBody } from "@/lib/api";
import { env } from "@/lib/env";
import { webMetrics } from "@/lib/metrics";
import { services } from "@/lib/server";
import { authenticateHostCached } from "./authenticate-cached";
import { assertBacklogRoom, backlogRetryAfterSeconds } from "./backlog";

/**
 * A collector's batch: authenticated, checked against the backlog, read (gzip allowed, size-limited),
 * validated, and committed to Postgres before the 202. Anything refused is refused before a write.
 */
async function ingest(request: Request): Promise<Response> {
  const { db, enqueueAggregation } = services();
  const { host, environments, fresh } = await authenticateHostCached({
    db,
    authorization: request.headers.get("authorization"),
  });
  await assertBacklogRoom({ db, limit: env().INGEST_BACKLOG_LIMIT });
  if (!(request.headers.get("content-type") ?? "").startsWith("application/json")) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "send the batch as application/json");
  }
  const body = await readEncodedBody(request, maxBatchBytes);
  const batch = parseBatch(parseJson(body.text));
  const accepted = await acceptBatch({
    db,
    hostId: host.hostId,
    batch,
    body: body.gzip,
    environments,
  });
  // The batch is durable now. If Redis is away its job is lost, but the sweeper finds the batch again.
  if (accepted.status === "accepted")
    enqueueAggregation.add({ batchId: accepted.batchId, receivedAt: accepted.receivedAt.toISOString() });
  // Once per credential check, i.e. every few seconds per host rather than on every batch.
  if (fresh) await recordHostContact({ db, hostId: host.hostId, collectorVersion: batch.collectorVersion });
  const metrics = webMetrics();
  metrics.ingestBatches.inc({ status: accepted.status });
  if (accepted.status === "accepted") metrics.ingestSamples.inc(batch.samples.length);
  // `no-transform` keeps Next from gzipping this 40-byte answer: a gzip stream per request was about a tenth
  // of the server's CPU per acknowledgement, and the collector paid again to inflate it.
  return Response.json(
    { batchId: accepted.batchId, status: accepted.status },
    { status: 202, headers: { "cache-control": "no-store, no-transform" } },
  );
}

function codeOf(error: unknown): ErrorCode {
  if (isAppError(error)) return error.code;
  return error instanceof ZodError ? "VALIDATION_FAILED" : "INTERNAL";
}

export async function POST(request: Request): Promise<Response> {
  const metrics = webMetrics();
  const stopTimer = metrics.ingestAckSeconds.startTimer();
  try {
    return await ingest(request);
  } catch (error) {
    const code = codeOf(error);
    metrics.ingestRejected.inc({ code });
    if (code === "BACKLOG_FULL")
      return errorResponse(code, (error as AppError).message, {
        "Retry-After": String(backlogRetryAfterSeconds),
      });
    return handleApiError(error);
  } finally {
    stopTimer();
  }
}
