/** "2.0123" → 2012300n at scale 6: compare decimal strings exactly in tests, no floats. */
export function toScaled(value: string, scale: number): bigint {
  const [whole = "0", fraction = ""] = value.split(".");
  return BigInt(whole + fraction.padEnd(scale, "0").slice(0, scale));
}

/** |a − b| ≤ tolerance × b, in integers. */
export function within(a: bigint, b: bigint, tolerancePercent: bigint): boolean {
  const diff = a > b ? a - b : b - a;
  return diff * 100n <= b * tolerancePercent;
}
