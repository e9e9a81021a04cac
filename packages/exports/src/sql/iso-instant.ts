/** SQL rendering a timestamptz column as the API's ISO 8601 UTC text, so rows go out without Date round trips. */
export function isoInstant(column: string, alias: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "${alias}"`;
}
