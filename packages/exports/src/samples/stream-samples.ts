import type { Database } from "@meterplane/db";
import type { PoolClient } from "pg";
import { type SampleFormat, type SampleRow, sampleWriters } from "./sample-formats.ts";

/** Acknowledged batches hold samples that started at most this long before arrival (the ingest late window)… */
const maxLatenessMs = 7 * 24 * 3600 * 1000;
/** …and at most this long after it (collector clock skew). */
const maxSkewMs = 5 * 60 * 1000;
const rowsPerFetch = 2000;

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
// a batch of one host may carry several tenants' environments. The receivedAt bounds only let Postgres
// prune the day partitions that cannot hold a sample starting in [from, to).
const exportSql = `
SELECT s->>'tenantId', s->>'environmentId', s->>'meter', s->>'start', s->>'seconds', s->>'value',
       COALESCE(s->'dimensions', '{}'::jsonb)::text
  FROM "SampleBatch" b CROSS JOIN LATERAL jsonb_array_elements(b.samples) AS s
 WHERE b."receivedAt" >= $1 AND b."receivedAt" < $2
   AND ($3::text IS NULL OR s->>'tenantId' = $3)
   AND ($4::text IS NULL OR s->>'environmentId' = $4)
   AND ($5::text IS NULL OR s->>'meter' = $5)
   AND (s->>'start')::timestamptz >= $6 AND (s->>'start')::timestamptz < $7`;

/**
 * Streams the raw samples that started in [from, to) as NDJSON or CSV, in batch arrival order. Memory is
 * constant whatever the range: rows come from a server-side cursor a few thousand at a time, and the next
 * fetch only happens when the consumer has taken the previous chunk (the stream's backpressure). The
 * cursor holds one pooled connection until the stream ends or is cancelled.
 */
export function streamSamples(query: SampleExportQuery): ReadableStream<Uint8Array> {
  const { db, format } = query;
  const writer = sampleWriters[format];
  const encoder = new TextEncoder();
  let client: PoolClient | undefined;
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
            text: `DECLARE sample_export NO SCROLL CURSOR FOR ${exportSql}`,
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
        } catch (error) {
          await release(error as Error);
          throw error;
        }
        if (writer.header) controller.enqueue(encoder.encode(writer.header));
      },
      async pull(controller) {
        try {
          const held = client;
          if (!held) return;
          const { rows } = await held.query<SampleRow>({
            text: `FETCH ${rowsPerFetch} FROM sample_export`,
            rowMode: "array",
          });
          if (rows.length) controller.enqueue(encoder.encode(rows.map(writer.line).join("")));
          if (rows.length < rowsPerFetch) {
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
