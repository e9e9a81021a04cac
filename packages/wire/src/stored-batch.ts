import { gunzipSync, gzipSync } from "node:zlib";
import { type Batch, type FlatBatch, type Sample, samplesOf } from "./batch.ts";
import { batchOfFlat } from "./parse-batch.ts";

/**
 * Raw batches are stored as the collector sent them: the wire JSON, gzip-compressed. Storing the received
 * bytes means ingest never re-encodes a sample, and Postgres keeps a few kilobytes per batch.
 */
export function storedBatchBody(batch: Batch | FlatBatch): Buffer {
  return gzipSync(JSON.stringify(batch), { level: 1 });
}

const gzipMagic = [0x1f, 0x8b] as const;

/**
 * A stored body's JSON, in whichever wire form it came. Batches stored before bodies were compressed hold
 * plain JSON; a JSON text never starts with 0x1f. Bodies were validated before they were stored.
 */
function parseStoredBody(body: Uint8Array): Batch | FlatBatch {
  const json = body[0] === gzipMagic[0] && body[1] === gzipMagic[1] ? gunzipSync(body) : body;
  return JSON.parse(Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString("utf8"));
}

/** A stored batch in the series form, `start` as the collector wrote it (any precision; `Date.parse` reads it). */
export function decodeStoredBatch(body: Uint8Array): Batch {
  const batch = parseStoredBody(body);
  return "series" in batch ? batch : batchOfFlat(batch);
}

/**
 * Reads a stored batch back for display and export: its samples in the flat shape (a flat batch keeps its
 * order, a series batch reads series by series) with `start` in the one ISO form (milliseconds, `Z`) that
 * JavaScript and Postgres read alike, whatever precision the collector wrote.
 */
export function readStoredBatch(body: Uint8Array): FlatBatch {
  return canonicalBatch(parseStoredBody(body));
}

/** A batch as flat samples with only their wire fields, `start` as `toISOString()`. */
export function canonicalBatch(batch: Batch | FlatBatch): FlatBatch {
  const starts = new Map<string, string>();
  const samples = samplesOf(batch).map((sample): Sample => {
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
