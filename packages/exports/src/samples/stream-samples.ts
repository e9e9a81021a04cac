import type { Database } from "@meterplane/db";
import type { PoolClient } from "pg";
import { type SampleFormat, sampleFormatSql } from "./sample-formats.ts";

/** Acknowledged batches hold samples that started at most this long before arrival (the ingest late window)… */
const maxLatenessMs = 7 * 24 * 3600 * 1000;
/** …and at most this long after it (collector clock skew). */
const maxSkewMs = 5 * 60 * 1000;
/** Batches per FETCH: a few MB of text at most. */
const batchesPerFetch = 2;

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

// Samples are read out of the raw batches (jsonb), filtered to the caller's tenant sample by sample:
// a batch of one host may carry several tenants' environments. One row per batch holds all its lines
// (at most 10,000 samples, a few MB). The receivedAt bounds only let Postgres prune the day partitions
// that cannot hold a sample starting in [from, to).
const exportSql = (line: string): string => `
SELECT lines FROM (
  SELECT (SELECT string_agg(${line}, '')
            FROM jsonb_array_elements(b.samples) AS s
           WHERE ($3::text IS NULL OR s->>'tenantId' = $3)
             AND ($4::text IS NULL OR s->>'environmentId' = $4)
             AND ($5::text IS NULL OR s->>'meter' = $5)
             AND (s->>'start')::timestamptz >= $6 AND (s->>'start')::timestamptz < $7) AS lines
    FROM "SampleBatch" b
   WHERE b."receivedAt" >= $1 AND b."receivedAt" < $2
) batch
WHERE lines IS NOT NULL`;

/**
 * Streams the raw samples that started in [from, to) as NDJSON or CSV, batch by batch. Memory is
 * constant whatever the range: batches come from a server-side cursor a few at a time, and the next
 * fetch only happens when the consumer has taken the previous chunk (the stream's backpressure). The
 * cursor holds one pooled connection until the stream ends or is cancelled.
 */
export function streamSamples(query: SampleExportQuery): ReadableStream<Uint8Array> {
  const { db, format } = query;
  const sql = sampleFormatSql[format];
  const encoder = new TextEncoder();
  let client: PoolClient | undefined;
  // The next page is fetched while the current one is formatted and sent, so Postgres and this process
  // work in parallel; at most two pages are ever held.
  let next: Promise<[string][]> | undefined;
  const fetchNext = (held: PoolClient) => {
    const page = held
      .query<[string]>({ text: `FETCH ${batchesPerFetch} FROM sample_export`, rowMode: "array" })
      .then((result) => result.rows);
    page.catch(() => undefined); // observed by the next pull; a cancelled stream never awaits it
    return page;
  };
  const release = async (error?: Error) => {
    const held = client;
    client = undefined;
    if (!held) return;
    if (!error) await held.query("COMMIT").catch(() => undefined);
    // A failed or abandoned cursor's connection is destroyed rather than reused in an unknown state.
    held.release(error ?? undefined);
  };
  return new ReadableStream<Uint8Array>(
    {
      async start(controller) {
        try {
          const held = await db.pool.connect();
          client = held;
          await held.query("BEGIN READ ONLY");
          await held.query({
            text: `DECLARE sample_export NO SCROLL CURSOR FOR ${exportSql(sql.line)}`,
            values: [
              new Date(query.from.getTime() - maxSkewMs),
              new Date(query.to.getTime() + maxLatenessMs),
              query.tenantId,
              query.environmentId ?? null,
              query.meter ?? null,
              query.from,
              query.to,
            ],
          });
          next = fetchNext(held);
        } catch (error) {
          await release(error as Error);
          throw error;
        }
        if (sql.header) controller.enqueue(encoder.encode(sql.header));
      },
      async pull(controller) {
        try {
          const held = client;
          if (!held || !next) return;
          const rows = await next;
          const last = rows.length < batchesPerFetch;
          next = last ? undefined : fetchNext(held);
          for (const [lines] of rows) controller.enqueue(encoder.encode(lines));
          if (last) {
            await release();
            controller.close();
          }
        } catch (error) {
          await release(error as Error);
          controller.error(error);
        }
      },
      async cancel() {
        await release(new Error("export cancelled by the client"));
      },
    },
    { highWaterMark: 1 },
  );
}
