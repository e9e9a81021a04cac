import { Dec } from "@meterplane/core";
import { currencyExponent } from "../money/currency.ts";

type Decimalish = Dec | string | number;

/**
 * How people read money, quantities and dates, in one place for pages, PDFs and exports. One locale and UTC:
 * an invoice reads the same for everyone who opens it. Intl formats decimal strings exactly (no float on the
 * way), so what is shown is the stored amount, rounded only where this module says so.
 */
const locale = "en-US";

/** Intl's thin and no-break spaces become plain ones: the PDF's built-in font has no thin space. */
const plain = (text: string) => text.replace(/[\u00a0\u2009\u202f]/g, " ");

/** An amount in its currency's minor unit, with its symbol: USD 49 → "$49.00", JPY 1200 → "¥1,200". */
export function formatMoney(amount: Decimalish, currency: string): string {
  const places = currencyExponent(currency);
  const text = new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: places,
    maximumFractionDigits: places,
  }).format(new Dec(amount).toFixed(places) as Intl.StringNumericLiteral);
  return plain(text);
}

/** A price per unit: at least the currency's minor unit, more when the price has them ($0.000125). */
export function formatUnitPrice(price: Decimalish, currency: string): string {
  const places = Math.max(currencyExponent(currency), new Dec(price).decimalPlaces());
  const text = new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: currencyExponent(currency),
    maximumFractionDigits: Math.min(places, 12),
  }).format(new Dec(price).toFixed() as Intl.StringNumericLiteral);
  return plain(text);
}

export interface DisplayedQuantity {
  /** Rounded for reading: two decimals from 1 up, three significant digits below. */
  text: string;
  /** Every stored digit and the unit, for a hover title and for exports. */
  exact: string;
}

/** A quantity in its unit, rounded for display with the exact figure beside it. */
export function formatQuantity(value: Decimalish, unit: string): DisplayedQuantity {
  const exact = new Dec(value);
  const suffix = unit ? ` ${unit}` : "";
  return { text: `${roundedNumber(exact)}${suffix}`, exact: `${exact.toFixed()}${suffix}` };
}

const byteUnits = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"] as const;

/**
 * A meter's own figure in its unit: bytes scaled to the largest binary unit under the value (memory in GiB),
 * everything else as `formatQuantity`.
 */
export function formatMeasure(value: Decimalish, unit: string): DisplayedQuantity {
  if (unit !== "bytes") return formatQuantity(value, unit);
  const exact = new Dec(value);
  let scaled = exact;
  let step = 0;
  while (scaled.abs().gte(1024) && step < byteUnits.length - 1) {
    scaled = scaled.div(1024);
    step += 1;
  }
  return { text: `${roundedNumber(scaled)} ${byteUnits[step]}`, exact: `${exact.toFixed()} bytes` };
}

function roundedNumber(value: Dec): string {
  const options: Intl.NumberFormatOptions =
    value.abs().gte(1) || value.isZero() ? { maximumFractionDigits: 2 } : { maximumSignificantDigits: 3 };
  return new Intl.NumberFormat(locale, options).format(value.toFixed() as Intl.StringNumericLiteral);
}

const day = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" });
const minute = new Intl.DateTimeFormat(locale, {
  dateStyle: "medium",
  timeStyle: "short",
  hourCycle: "h23",
  timeZone: "UTC",
});
const hourOfDay = new Intl.DateTimeFormat(locale, {
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: "UTC",
});
const shortDay = new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", timeZone: "UTC" });

/** "December 5, 2026" (the UTC day). */
export function formatDate(at: Date): string {
  return day.format(at);
}

/** "Dec 5, 2026, 09:54 UTC". */
export function formatDateTime(at: Date): string {
  return `${plain(minute.format(at))} UTC`;
}

/**
 * A half-open period `[start, end)` in words, by the days it covers: a calendar month is
 * "October 1 – 31, 2026", not "2026-10-01 → 2026-11-01".
 */
export function formatPeriod(start: Date, end: Date): string {
  const last = new Date(Math.max(start.getTime(), end.getTime() - 1));
  return plain(day.formatRange(start, last));
}

/** An hourly bucket `[start, start + 1 h)`: "Oct 3, 14:00–15:00 UTC". */
export function formatHour(start: Date): string {
  const end = new Date(start.getTime() + 3_600_000);
  return `${shortDay.format(start)}, ${hourOfDay.format(start)}–${hourOfDay.format(end)} UTC`;
}
