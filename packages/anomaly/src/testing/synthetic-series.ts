/** Synthetic series for the detector's tests: a daily pattern, noise, and one departure added at will. */
export const fiveMinutes = 300_000;
export const start = Date.UTC(2026, 0, 5);
export const day = 86_400_000;

/** A small deterministic PRNG (mulberry32) and Box-Muller normal noise, so tests are repeatable. */
export function normalNoise(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

export interface SeriesShape {
  days: number;
  /** Daily amplitude (a busy day and a quiet night), in units of the noise. */
  amplitude?: number;
  /** Added to point i's value. */
  departure?: (i: number, at: number) => number;
  /** Replaces point i's value (a stuck sensor). */
  replace?: (i: number, value: number) => number | undefined;
  seed?: number;
}

/** Points every 5 minutes: 100 + a daily sinusoid + N(0, 1) noise (+ departure). */
export function syntheticSeries(shape: SeriesShape): { at: number; value: number }[] {
  const noise = normalNoise(shape.seed ?? 7);
  const points: { at: number; value: number }[] = [];
  for (let i = 0; i < (shape.days * day) / fiveMinutes; i++) {
    const at = start + i * fiveMinutes;
    const daily = (shape.amplitude ?? 20) * Math.sin((2 * Math.PI * (at % day)) / day);
    const value = 100 + daily + noise() + (shape.departure?.(i, at) ?? 0);
    points.push({ at, value: shape.replace?.(i, value) ?? value });
  }
  return points;
}

export const pointOf = (at: number) => Math.round((at - start) / fiveMinutes);
