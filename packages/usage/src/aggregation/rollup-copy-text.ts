import type { Rollup } from "./roll-up-samples.ts";
import { valueScale } from "./roll-up-samples.ts";
import { scaledText } from "./scaled-decimal.ts";

/** The staging table's columns in the order `rollupCopyChunks` writes them. */
export const rollupCopyColumns = `"tenantId", "environmentId", meter, "dimensionKey", "bucketStart", dimensions, sum, count, min, max, last, "lastAt", integral, seconds`;

/** Rows per chunk of COPY text handed to the stream. */
const rowsPerChunk = 2000;

const valueText = (units: bigint) => scaledText({ units, scale: valueScale });

/** COPY's text format escapes backslash, tab, newline and carriage return; ids, instants and decimals need none. */
const copyText = (text: string) =>
  /[\\\t\n\r]/.test(text)
    ? text.replace(/[\\\t\n\r]/g, (c) => ({ "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" })[c]!)
    : text;

/** Rollups as COPY text lines, a chunk at a time: decimals as exact text, so Postgres reads them exactly. */
export function* rollupCopyChunks(rollups: Rollup[]): Generator<string> {
  for (let i = 0; i < rollups.length; i += rowsPerChunk) {
    let chunk = "";
    for (const r of rollups.slice(i, i + rowsPerChunk))
      chunk += `${r.tenantId}\t${r.environmentId}\t${copyText(r.meter)}\t${copyText(r.dimensionKey)}\t${new Date(r.bucketStart).toISOString()}\t${copyText(JSON.stringify(r.dimensions))}\t${valueText(r.sum)}\t${r.count}\t${valueText(r.min)}\t${valueText(r.max)}\t${valueText(r.last)}\t${new Date(r.lastAt).toISOString()}\t${scaledText(r.integral)}\t${scaledText(r.seconds)}\n`;
    yield chunk;
  }
}
