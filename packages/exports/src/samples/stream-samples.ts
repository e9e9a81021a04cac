import type { Readable } from "node:stream";
import type { Database } from "@meterplane/db";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { type SampleFormat, sampleFormatSql } from "./sample-formats.ts";

/** Acknowledged batches hold samples that started at most this long before arrival (the ingest late window)… */
const maxLatenessMs = 7 * 24 * 3600 * 1000;
/** …and at most this long after it (collector clock skew). */
const maxSkewMs = 5 * 60 * 1000;

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

const literal = (value: string | null | undefined) => (value == null ? "NULL" : pg.escapeLiteral(value));
const instant = (value: Date) => `${literal(value.toISOString())}::timestamptz`;

// Samples are read out of the raw batches (jsonb), filtered to the caller's tenant sample by sample:
// a batch of one host may carry several tenants' environments. The receivedAt bounds only let Postgres
// prune the day partitions that cannot hold a sample starting in [from, to). COPY takes no bind
// parameters, hence literals (escaped; the values are validated uuids, meter names and instants).
// CSV mode with control characters as delimiter and quote writes each line byte for byte plus "\n": it
// quotes only a value holding those or a line break, and a line holds none (JSON text escapes control
// characters; every other field passed the wire schema at ingest). Text mode would escape backslashes.
function exportSql(query: SampleExportQuery): string {
  const line = sampleFormatSql[query.format].line;
  return `COPY (
  SELECT ${line} FROM "SampleBatch" b, jsonb_array_elements(b.samples) AS s
   WHERE b."receivedAt" >= ${instant(new Date(query.from.getTime() - maxSkewMs))}
     AND b."receivedAt" < ${instant(new Date(query.to.getTime() + maxLatenessMs))}
     AND (${literal(query.tenantId)}::text IS NULL OR s->>'tenantId' = ${literal(query.tenantId)})
     AND (${literal(query.environmentId)}::text IS NULL OR s->>'environmentId' = ${literal(query.environmentId)})
     AND (${literal(query.meter)}::text IS NULL OR s->>'meter' = ${literal(query.meter)})
     AND (s->>'start')::timestamptz >= ${instant(query.from)} AND (s->>'start')::timestamptz < ${instant(query.to)}
) TO STDOUT WITH (FORMAT csv, DELIMITER E'\\x01', QUOTE E'\\x02')`;
}

/**
 * Streams the raw samples that started in [from, to) as NDJSON or CSV. Memory is constant and small
 * whatever the range: the bytes Postgres' COPY writes go out as they arrive off the socket (no row
 * objects, no JavaScript strings), and the socket is only read when the consumer has taken the previous
 * chunk, so a slow client slows Postgres down instead of filling this process. The COPY holds one pooled
 * connection until the stream ends or is cancelled.
 */
export function streamSamples(query: SampleExportQuery): ReadableStream<Uint8Array> {
  const header = sampleFormatSql[query.format].header;
  let client: pg.PoolClient | undefined;
  let chunks: AsyncIterator<Buffer> | undefined;
  const release = (error?: Error) => {
    const held = client;
    client = undefined;
    // An unfinished COPY's connection is destroyed rather than reused mid-protocol.
    held?.release(error);
  };
  return new ReadableStream<Uint8Array>(
    {
      async start(controller) {
        client = await query.db.pool.connect();
        const copy: Readable = client.query(copyTo(exportSql(query)));
        chunks = copy[Symbol.asyncIterator]();
        if (header) controller.enqueue(new TextEncoder().encode(header));
      },
      async pull(controller) {
        try {
          const next = await chunks?.next();
          if (!next || next.done) {
            release();
            controller.close();
          } else controller.enqueue(next.value);
        } catch (error) {
          release(error as Error);
          controller.error(error);
        }
      },
      async cancel() {
        release(new Error("export cancelled by the client"));
        await chunks?.return?.();
      },
    },
    { highWaterMark: 1 },
  );
}
