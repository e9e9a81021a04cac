import { gunzipSync, gzipSync } from "node:zlib";
import type { Batch, Sample } from "./batch.ts";

/**
 * Raw batches are stored as the collector sent them: the wire JSON, gzip-compressed. Storing the received
 * bytes means ingest never re-encodes a sample, and Postgres keeps a few kilobytes per batch.
 */
export function storedBatchBody(batch: Batch): Buffer {
  return gzipSync(JSON.stringify(batch), { level: 1 });
}

const gzipMagic = [0x1f, 0x8b] as const;

/**
 * A stored batch as it was sent: `start` as the collector wrote it (any precision; `Date.parse` reads it).
 * Batches stored before bodies were compressed hold plain JSON; a JSON text never starts with 0x1f.
 */
export function decodeStoredBatch(body: Uint8Array): Batch {
  const json = body[0] === gzipMagic[0] && body[1] === gzipMagic[1] ? gunzipSync(body) : body;
  return JSON.parse(Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString("utf8")) as Batch;
}

/**
 * Reads a stored batch back for display and export: its samples in the wire shape with `start` in the one
 * ISO form (milliseconds, `Z`) that JavaScript and Postgres read alike, whatever precision the collector wrote.
 */
export function readStoredBatch(body: Uint8Array): Batch {
  return canonicalBatch(decodeStoredBatch(body));
}

/** A batch in that one form: samples with only their wire fields, in wire order, `start` as `toISOString()`. */
export function canonicalBatch(batch: Batch): Batch {
  const starts = new Map<string, string>();
  const samples = batch.samples.map((sample): Sample => {
    let start = starts.get(sample.start);
    if (start === undefined) {
      start = new Date(Date.parse(sample.start)).toISOString();
      starts.set(sample.start, start);
    }
    const { environmentId, meter, seconds, value, dimensions } = sample;
    return dimensions
      ? { environmentId, meter, start, seconds, value, dimensions }
      : { environmentId, meter, start, seconds, value };
  });
  return { sequence: batch.sequence, collectorVersion: batch.collectorVersion, samples };
}
