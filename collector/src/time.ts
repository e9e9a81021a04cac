/**
 * Sampling ticks are aligned to the wall clock inside each UTC hour: hourStart + k × interval, and the hour
 * boundary itself. So no sample ever straddles an hour (hourly rollups stay exact) even when the interval
 * does not divide 3600; in that case the last slot of the hour is simply shorter. All values in epoch seconds.
 */
const hour = 3600;

export function hourStart(epochSeconds: number): number {
  return epochSeconds - (((epochSeconds % hour) + hour) % hour);
}

/** The first aligned tick strictly after `now`. */
export function nextTick(nowSeconds: number, intervalSeconds: number): number {
  const s = Math.floor(nowSeconds);
  const h = hourStart(s);
  const candidate = h + (Math.floor((s - h) / intervalSeconds) + 1) * intervalSeconds;
  return Math.min(candidate, h + hour);
}

/** The aligned tick just before `tick` (itself aligned): the start of the slot `tick` closes. */
export function previousTick(tick: number, intervalSeconds: number): number {
  const s = tick - 1;
  const h = hourStart(s);
  return h + Math.floor((s - h) / intervalSeconds) * intervalSeconds;
}

export function isoSeconds(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace(".000Z", "Z");
}
