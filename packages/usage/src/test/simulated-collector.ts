import { Agent, request } from "node:http";
import { gzipSync } from "node:zlib";
import { type Batch, type FlatBatch, type Sample, seriesOfSamples } from "@meterplane/wire";

/**
 * Batches as a host's collector would send them, for the pipeline's fault tests and its benchmark. Every
 * series (environment, meter, dimensions) gets one sample per 10 s step and no two samples of a series share
 * a start, so the "last" value of a bucket is unambiguous whatever order batches are aggregated in.
 */
export function simulatedBatches({
  environmentIds,
  batches,
  stepsPerBatch = 1,
  from,
  firstSequence = 1,
}: {
  environmentIds: string[];
  batches: number;
  stepsPerBatch?: number;
  /** Start of the first step; everything must stay inside the late-data window. */
  from: Date;
  firstSequence?: number;
}): Batch[] {
  const result: Batch[] = [];
  for (let b = 0; b < batches; b++) {
    const samples: Sample[] = [];
    for (let step = 0; step < stepsPerBatch; step++) {
      const index = b * stepsPerBatch + step;
      const start = new Date(from.getTime() + index * 10_000).toISOString();
      for (const [e, environmentId] of environmentIds.entries()) {
        const at = { environmentId, start, seconds: 10 };
        samples.push(
          { ...at, meter: "cpu", value: `${(index % 97) + e}.${String(index % 1000).padStart(3, "0")}` },
          { ...at, meter: "memory", value: String(1_000_000 + ((index * 7919 + e) % 100_000)) },
          {
            ...at,
            meter: "data_throughput",
            value: `${index % 13}.000000000001`,
            dimensions: { channel: "network", direction: index % 2 ? "sent" : "received" },
          },
        );
      }
    }
    result.push({ sequence: firstSequence + b, collectorVersion: "0.2.0", series: seriesOfSamples(samples) });
  }
  return result;
}

export interface PostedBatch {
  status: number;
  body: unknown;
  ms: number;
  /** The Retry-After header of a refusal, if any. */
  retryAfter?: string;
}

/**
 * A batch as the collector puts it on the wire: JSON, gzip-compressed unless told otherwise. A flat batch
 * is what collectors before 0.2.0 send.
 */
export function encodeBatch(batch: Batch | FlatBatch, { gzip = true }: { gzip?: boolean } = {}): Buffer {
  const json = Buffer.from(JSON.stringify(batch));
  return gzip ? gzipSync(json) : json;
}

// Each simulated collector keeps its connection, as the real shipper's fetch does; node:http costs the
// client a fraction of fetch's CPU, which on a shared machine leaves more of it to the system measured.
// Every idle connection is kept: the agent's default keeps 256, so a fleet that sends on one tick closed and
// reopened nearly all of its connections every interval, which no real host does.
const agent = new Agent({ keepAlive: true, maxFreeSockets: Number.POSITIVE_INFINITY });

/** POSTs one encoded batch with the host's credential; `ms` is the acknowledgement latency. */
export function postBatch(
  url: string,
  credential: string,
  body: Buffer,
  { gzip = true }: { gzip?: boolean } = {},
): Promise<PostedBatch> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const posting = request(
      `${url}/api/v1/ingest`,
      {
        method: "POST",
        agent,
        headers: {
          authorization: `Bearer ${credential}`,
          "content-type": "application/json",
          "content-length": body.length,
          ...(gzip ? { "content-encoding": "gzip" } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // Not JSON: the raw text is the useful thing to report.
          }
          const retryAfter = response.headers["retry-after"];
          resolve({
            status: response.statusCode ?? 0,
            body: parsed,
            ms: performance.now() - started,
            retryAfter,
          });
        });
      },
    );
    posting.on("error", reject);
    posting.end(body);
  });
}
