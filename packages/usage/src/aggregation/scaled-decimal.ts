/**
 * Exact decimals for the aggregation's hot loop: an integer of units and a count of decimal places, so
 * 12.5 is `{ units: 125n, scale: 1 }`. Sums are exact; Postgres rounds once, when a rollup is written to its
 * DECIMAL(38, 12) columns, as it did when it summed the samples itself.
 */
export interface ScaledDecimal {
  units: bigint;
  scale: number;
}

const powersOfTen: bigint[] = [1n];
function pow10(n: number): bigint {
  for (let i = powersOfTen.length; i <= n; i++) powersOfTen.push(powersOfTen[i - 1]! * 10n);
  return powersOfTen[n]!;
}

/** Reads a non-negative decimal text: `12`, `12.50`, or JavaScript's exponent form of a number (`1e-7`). */
export function parseScaled(text: string): ScaledDecimal {
  const e = text.search(/e/i);
  const mantissa = e < 0 ? text : text.slice(0, e);
  const exponent = e < 0 ? 0 : Number(text.slice(e + 1));
  const point = mantissa.indexOf(".");
  const digits = point < 0 ? mantissa : mantissa.slice(0, point) + mantissa.slice(point + 1);
  const scale = (point < 0 ? 0 : mantissa.length - point - 1) - exponent;
  return scale >= 0 ? { units: BigInt(digits), scale } : { units: BigInt(digits) * pow10(-scale), scale: 0 };
}

/** A JavaScript number as the exact decimal of its shortest text, as Postgres reads a JSON number. */
export function scaledOfNumber(value: number): ScaledDecimal {
  return parseScaled(String(value));
}

function atScale(value: ScaledDecimal, scale: number): bigint {
  return value.scale === scale ? value.units : value.units * pow10(scale - value.scale);
}

/**
 * The value's units at `scale` places, rounded half away from zero as Postgres rounds a numeric into a
 * column of that scale.
 */
export function unitsAtScale(value: ScaledDecimal, scale: number): bigint {
  if (value.scale <= scale) return atScale(value, scale);
  const divisor = pow10(value.scale - scale);
  const quotient = value.units / divisor;
  const remainder = value.units % divisor;
  if (2n * (remainder < 0n ? -remainder : remainder) < divisor) return quotient;
  return value.units < 0n ? quotient - 1n : quotient + 1n;
}

export function addScaled(a: ScaledDecimal, b: ScaledDecimal): ScaledDecimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: atScale(a, scale) + atScale(b, scale), scale };
}

/** Decimal text Postgres reads as numeric without loss: `125n` at scale 1 is `12.5`. */
export function scaledText({ units, scale }: ScaledDecimal): string {
  if (scale === 0) return units.toString();
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  return `${negative ? "-" : ""}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}
