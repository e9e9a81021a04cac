import type { Database } from "@meterplane/db";
import { environmentTenants } from "./environment-tenants.ts";
import { type SampleFormat, sampleLineFormats } from "./sample-formats.ts";
import { storedBatches } from "./stored-batches.ts";

/** Acknowledged batches hold samples that started at most this long before arrival (the ingest late window)… */
const maxLatenessMs = 7 * 24 * 3600 * 1000;
/** …and at most this long after it (collector clock skew). */
const maxSkewMs = 5 * 60 * 1000;
/** Lines go out in chunks of about this many characters: few enough writes, little held at a time. */
const chunkChars = 64 * 1024;

export interface SampleExportQuery {
  db: Database;
  /** Null only for an operator-wide key: every tenant. */
  tenantId: string | null;
  environmentId?: string;
  meter?: string;
  from: Date;
  to: Date;
  format: SampleFormat;
}

/**
 * The export's text, chunk by chunk. Samples are read out of the raw batches, which a host's collector
 * fills with all its environments, so they are filtered to the caller's tenant sample by sample; the
 * batch's `tenantIds` only skips batches that hold none of its samples. The receivedAt bounds are those
 * that can hold a sample starting in [from, to): they let Postgres prune the day partitions.
 */
async function* sampleChunks(query: SampleExportQuery, signal: AbortSignal): AsyncGenerator<string> {
  const { header, line } = sampleLineFormats[query.format];
  // readStoredBatch gives every start in Date#toISOString form, in which instants sort as strings.
  const from = query.from.toISOString();
  const to = query.to.toISOString();
  const tenants = environmentTenants(query.db);
  const batches = storedBatches({
    db: query.db,
    tenantId: query.tenantId,
    receivedFrom: new Date(query.from.getTime() - maxSkewMs),
    receivedTo: new Date(query.to.getTime() + maxLatenessMs),
    signal,
  });
  let chunk = header;
  for await (const { samples } of batches) {
    for (const sample of samples) {
      if (sample.start < from || sample.start >= to) continue;
      if (query.environmentId && sample.environmentId !== query.environmentId) continue;
      if (query.meter && sample.meter !== query.meter) continue;
      let tenantId = tenants.of(sample.environmentId);
      if (tenantId === undefined) {
        await tenants.lookUp(samples);
        tenantId = tenants.of(sample.environmentId);
      }
      if (!tenantId || (query.tenantId && tenantId !== query.tenantId)) continue;
      chunk += line(tenantId, sample);
      if (chunk.length >= chunkChars) {
        yield chunk;
        chunk = "";
      }
    }
  }
  if (chunk) yield chunk;
}

/**
 * Streams the raw samples that started in [from, to) as NDJSON or CSV. Memory is small and constant
 * whatever the range: the next page of batches is read only when the consumer has taken the chunks of
 * the previous one (a slow client slows the export down instead of filling this process), and a page is
 * bounded in bytes. No connection is held between pages; cancelling waits for a page being read, so the
 * pool has its connection back when `cancel()` resolves.
 */
export function streamSamples(query: SampleExportQuery): ReadableStream<Uint8Array> {
  const cancelled = new AbortController();
  const chunks = sampleChunks(query, cancelled.signal);
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await chunks.next();
        if (cancelled.signal.aborted) return;
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      async cancel() {
        cancelled.abort();
        await chunks.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}
