/**
 * Display rounding for chart values: whole numbers from 100, two decimals from 1, three significant digits
 * below, always in plain decimals (a chart's unit is scaled to its magnitude, so tiny values are rare and
 * never read as `1.5E-8`); grouped (12,345). A hover reads `1.25 core-hours`, never `1.2500000000004`.
 */
export function roundForDisplay(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return value.toLocaleString("en", { maximumFractionDigits: 0 });
  if (magnitude >= 1) return value.toLocaleString("en", { maximumFractionDigits: 2 });
  return value.toLocaleString("en", { maximumSignificantDigits: 3 });
}

/** An axis tick: short (1.2k, 3.4M) so a 390 px wide chart keeps room for its plot. */
export function axisValue(value: number): string {
  return Math.abs(value) >= 1000
    ? value.toLocaleString("en", { notation: "compact", maximumFractionDigits: 1 })
    : roundForDisplay(value);
}

const day = new Intl.DateTimeFormat("en-GB", {
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});
const time = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });

/** A bucket [start, end) in words, UTC: `Sat 5 Dec 2026, 10:00–11:00 UTC` or across days with both dates. */
export function bucketRange(start: number, end: number): string {
  const lastInstant = end - 1;
  if (day.format(start) === day.format(lastInstant))
    return `${day.format(start)}, ${time.format(start)}–${end % 86_400_000 === 0 ? "24:00" : time.format(end)} UTC`;
  return `${day.format(start)} ${time.format(start)} – ${day.format(end)} ${time.format(end)} UTC`;
}
