import { csvField } from "@meterplane/core";
import type { Sample } from "@meterplane/wire";

export const sampleFormats = ["ndjson", "csv"] as const;
export type SampleFormat = (typeof sampleFormats)[number];

export const sampleContentTypes: Record<SampleFormat, string> = {
  ndjson: "application/x-ndjson; charset=utf-8",
  csv: "text/csv; charset=utf-8",
};

// Postgres' jsonb order: shorter keys first, then by their bytes (dimension keys are ASCII names).
const jsonbKeyOrder = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

/**
 * A sample's dimensions as exports have always written them (Postgres' jsonb text: `{"kind": "file"}`,
 * `{}` for none), so the same dimensions are the same text whatever order the collector sent the keys in,
 * and a consumer can group lines by it.
 */
export function dimensionsText(dimensions: Sample["dimensions"]): string {
  if (!dimensions) return "{}";
  const keys = Object.keys(dimensions).sort(jsonbKeyOrder);
  return `{${keys.map((key) => `${JSON.stringify(key)}: ${JSON.stringify(dimensions[key])}`).join(", ")}}`;
}

/**
 * Each format as its header and the line (with its line break) of one sample of a tenant. Besides the
 * dimensions, every field passed the wire schema at ingest (uuids, a meter name, an ISO instant, a number,
 * a decimal string): none holds a character that JSON or CSV would need to escape.
 */
export const sampleLineFormats: Record<
  SampleFormat,
  { header: string; line: (tenantId: string, sample: Sample) => string }
> = {
  ndjson: {
    header: "",
    line: (tenantId, s) =>
      `{"tenantId":"${tenantId}","environmentId":"${s.environmentId}","meter":"${s.meter}","start":"${s.start}","seconds":${s.seconds},"value":"${s.value}","dimensions":${dimensionsText(s.dimensions)}}\n`,
  },
  csv: {
    header: "tenantId,environmentId,meter,start,seconds,value,dimensions\n",
    line: (tenantId, s) =>
      `${tenantId},${s.environmentId},${s.meter},${s.start},${s.seconds},${s.value},${csvField(dimensionsText(s.dimensions))}\n`,
  },
};
