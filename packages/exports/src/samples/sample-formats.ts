export const sampleFormats = ["ndjson", "csv"] as const;
export type SampleFormat = (typeof sampleFormats)[number];

export const sampleContentTypes: Record<SampleFormat, string> = {
  ndjson: "application/x-ndjson; charset=utf-8",
  csv: "text/csv; charset=utf-8",
};

/** RFC 4180: quote a field when it holds a comma, quote or line break; double inner quotes. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

const dimensions = `COALESCE(s->'dimensions', '{}'::jsonb)::text`;

/**
 * Each format as the SQL that renders one sample `s` (an element of SampleBatch.samples) as one line,
 * without its line break (COPY ends every row with one).
 * Postgres writes the lines, so the web process only moves text: the hot loop of a ten-million-row
 * export stays out of JavaScript. Samples passed the wire schema at ingest (uuids, a meter name, an ISO
 * instant, decimal strings: nothing to escape) and `dimensions` is Postgres' own JSON text.
 */
export const sampleFormatSql: Record<SampleFormat, { header: string; line: string }> = {
  ndjson: {
    header: "",
    line: `'{"tenantId":"' || (s->>'tenantId') || '","environmentId":"' || (s->>'environmentId')
      || '","meter":"' || (s->>'meter') || '","start":"' || (s->>'start') || '","seconds":' || (s->>'seconds')
      || ',"value":"' || (s->>'value') || '","dimensions":' || ${dimensions} || '}'`,
  },
  csv: {
    header: "tenantId,environmentId,meter,start,seconds,value,dimensions\n",
    line: `concat_ws(',', s->>'tenantId', s->>'environmentId', s->>'meter', s->>'start', s->>'seconds',
      s->>'value', '"' || replace(${dimensions}, '"', '""') || '"')`,
  },
};
