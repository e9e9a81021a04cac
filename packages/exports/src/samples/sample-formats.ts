/** One exported sample row as Postgres returns it (rowMode array), every field text. */
export type SampleRow = [
  tenantId: string,
  environmentId: string,
  meter: string,
  start: string,
  seconds: string,
  value: string,
  dimensions: string,
];

export const sampleFormats = ["ndjson", "csv"] as const;
export type SampleFormat = (typeof sampleFormats)[number];

export const sampleContentTypes: Record<SampleFormat, string> = {
  ndjson: "application/x-ndjson; charset=utf-8",
  csv: "text/csv; charset=utf-8",
};

const csvColumns = "tenantId,environmentId,meter,start,seconds,value,dimensions\n";

/** RFC 4180: quote a field when it holds a comma, quote or line break; double inner quotes. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

// Samples passed the wire schema at ingest: uuids, a meter name, an ISO instant and decimal strings need
// no escaping, and `dimensions` is Postgres' own JSON text, so lines are assembled without JSON.stringify:
// it is the hot loop of a ten-million-row export.
function ndjsonLine([tenantId, environmentId, meter, start, seconds, value, dimensions]: SampleRow): string {
  return `{"tenantId":"${tenantId}","environmentId":"${environmentId}","meter":"${meter}","start":"${start}","seconds":${seconds},"value":"${value}","dimensions":${dimensions}}\n`;
}

function csvLine([tenantId, environmentId, meter, start, seconds, value, dimensions]: SampleRow): string {
  return `${tenantId},${environmentId},${meter},${start},${seconds},${value},${csvField(dimensions)}\n`;
}

export const sampleWriters: Record<SampleFormat, { header: string; line: (row: SampleRow) => string }> = {
  ndjson: { header: "", line: ndjsonLine },
  csv: { header: csvColumns, line: csvLine },
};
