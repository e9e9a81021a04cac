import { AppError } from "@meterplane/core";
import { authenticateHost, recordHostContact } from "@meterplane/fleet";
import { aggregateJobId } from "@meterplane/queue";
import { acceptBatch } from "@meterplane/usage";
import { batchSchema, maxBatchBytes } from "@meterplane/wire";
import { apiRoute, parseJson, readBody } from "@/lib/api";
import { log, services } from "@/lib/server";

export const POST = apiRoute(async (request) => {
  const { db, aggregateQueue } = services();
  const host = await authenticateHost({ db, authorization: request.headers.get("authorization") });
  if (!(request.headers.get("content-type") ?? "").startsWith("application/json")) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "send the batch as application/json");
  }
  const batch = batchSchema.parse(parseJson(await readBody(request, maxBatchBytes)));
  const accepted = await acceptBatch({ db, hostId: host.hostId, batch });
  // The batch is durable now. If Redis is away the job is lost, but the sweeper finds the batch again.
  if (accepted.status === "accepted") {
    await aggregateQueue
      .add(
        "aggregate",
        { batchId: accepted.batchId, receivedAt: accepted.receivedAt.toISOString() },
        { jobId: aggregateJobId(accepted.batchId) },
      )
      .catch((error: Error) =>
        log.warn(
          { batchId: accepted.batchId, err: error.message },
          "enqueue failed; the sweeper will pick the batch up",
        ),
      );
  }
  await recordHostContact({ db, hostId: host.hostId, collectorVersion: batch.collectorVersion });
  return Response.json({ batchId: accepted.batchId, status: accepted.status }, { status: 202 });
});
