import { type Rollup, valueScale } from "./roll-up-samples.ts";

/** The staging table's columns in the order `rollupCopyChunks` writes them. */
export const rollupCopyColumns = `"tenantId", "environmentId", meter, "dimensionKey", dimensions, "bucketStart", sum, count, min, max, last, "lastAt", integral, seconds`;

/** Rows per chunk of COPY text handed to the stream. */
const rowsPerChunk = 2000;

/** COPY's text format escapes backslash, tab, newline and carriage return; ids, instants and decimals need none. */
const copyText = (text: string) =>
  /[\\\t\n\r]/.test(text)
    ? text.replace(/[\\\t\n\r]/g, (c) => ({ "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" })[c]!)
    : text;

/**
 * `units` at `scale` decimal places as exact text, without the fraction's trailing zeros: Postgres reads
 * `12.5` as the same numeric as `12.500000000000`, and the shorter text is less to build, send and parse.
 */
export function decimalText(units: bigint, scale: number): string {
  if (units < 0n) return `-${decimalText(-units, scale)}`;
  const digits = units.toString();
  if (scale === 0) return digits;
  const point = digits.length - scale;
  let end = digits.length;
  while (end > point && end > 0 && digits.charCodeAt(end - 1) === 48) end--;
  if (point > 0)
    return end > point ? `${digits.slice(0, point)}.${digits.slice(point, end)}` : digits.slice(0, point);
  return end > 0 ? `0.${"0".repeat(-point)}${digits.slice(0, end)}` : "0";
}

/**
 * Rollups as COPY text lines, a chunk at a time: decimals as exact text, so Postgres reads them exactly. A
 * group's rows share few instants and few meter and dimension sets, so their text is made once each; and
 * a row's minimum, maximum and last value are often the same value (a series-hour of one or two samples).
 */
export function* rollupCopyChunks(rollups: Rollup[]): Generator<string> {
  const instants = new Map<number, string>();
  const instantText = (at: number) => {
    let text = instants.get(at);
    if (text === undefined) {
      text = new Date(at).toISOString();
      instants.set(at, text);
    }
    return text;
  };
  // meter → dimension key → `meter\tdimensionKey\tdimensions`
  const seriesTexts = new Map<string, Map<string, string>>();
  const seriesText = (r: Rollup) => {
    let ofMeter = seriesTexts.get(r.meter);
    if (ofMeter === undefined) {
      ofMeter = new Map();
      seriesTexts.set(r.meter, ofMeter);
    }
    let text = ofMeter.get(r.dimensionKey);
    if (text === undefined) {
      text = `${copyText(r.meter)}\t${copyText(r.dimensionKey)}\t${copyText(JSON.stringify(r.dimensions))}`;
      ofMeter.set(r.dimensionKey, text);
    }
    return text;
  };
  for (let i = 0; i < rollups.length; i += rowsPerChunk) {
    let chunk = "";
    const end = Math.min(rollups.length, i + rowsPerChunk);
    for (let k = i; k < end; k++) {
      const r = rollups[k]!;
      const min = decimalText(r.min, valueScale);
      const max = r.max === r.min ? min : decimalText(r.max, valueScale);
      const last = r.last === r.min ? min : r.last === r.max ? max : decimalText(r.last, valueScale);
      const sum = r.count === 1 ? min : decimalText(r.sum, valueScale);
      chunk += `${r.tenantId}\t${r.environmentId}\t${seriesText(r)}\t${instantText(r.bucketStart)}\t${sum}\t${r.count}\t${min}\t${max}\t${last}\t${instantText(r.lastAt)}\t${decimalText(r.integral.units, r.integral.scale)}\t${decimalText(r.seconds.units, r.seconds.scale)}\n`;
    }
    yield chunk;
  }
}
