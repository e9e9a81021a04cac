// A spreadsheet runs a cell that starts with one of these as a formula (tab and CR too, once it strips them).
const formulaStart = /^[=+\-@\t\r]/;
// A plain number is data, not a formula, even when it starts with a minus: it stays as it is.
const plainNumber = /^-?\d+(\.\d+)?$/;

/**
 * One CSV cell, as every CSV the product writes renders it: a value that a spreadsheet would run as a
 * formula (`=HYPERLINK(…)`, `@SUM(…)`, `-2+3`) gets a leading `'` so it is shown as text (OWASP's advice
 * against CSV injection), then RFC 4180 quoting when it holds a comma, quote or line break.
 */
export function csvField(value: string): string {
  const safe = formulaStart.test(value) && !plainNumber.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
