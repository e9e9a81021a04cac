/**
 * Meter values travel as exact decimal strings. Raw readings are integers (microseconds, bytes, counts),
 * so a reading and its scale (digits after the point) are all we need: no float ever touches a value.
 */
export function formatScaled(value: bigint, scale: number): string {
  if (value < 0n) throw new RangeError(`meter values are non-negative, got ${value}`);
  if (scale === 0) return value.toString();
  const digits = value.toString().padStart(scale + 1, "0");
  const whole = digits.slice(0, -scale);
  const fraction = digits.slice(-scale).replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : whole;
}
