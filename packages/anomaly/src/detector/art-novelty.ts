import type { DetectorSettings } from "./score-point.ts";
import type { SeriesState } from "./series-state.ts";

/**
 * Resonance novelty (EXPERIMENT): a bounded fuzzy-ART over windows of the last `artWidth` standardised
 * residuals, complement coded, fast learning. Novelty 1 when no category resonates (match below vigilance).
 */
export const artWidth = 8;
export const artCategories = 24;
const dims = 2 * artWidth;

interface Art {
  w: Float64Array;
  used: number;
  next: number;
  window: Float64Array;
  pos: number;
  rho: number;
  seen: number;
  low: number;
  high: number;
}
const cache = new WeakMap<SeriesState, Art>();

function artOf(state: SeriesState): Art {
  let art = cache.get(state);
  if (!art) {
    art = {
      w: new Float64Array(artCategories * dims),
      used: 0,
      next: 0,
      window: new Float64Array(artWidth).fill(0.5),
      pos: 0,
      rho: 0,
      seen: 0,
      low: 0,
      high: 0,
    };
    cache.set(state, art);
  }
  return art;
}

const input = new Float64Array(dims);

export function artNovelty(state: SeriesState, u: number, value: number, s: DetectorSettings): number {
  const art = artOf(state);
  const cap = s.artCap;
  let a: number;
  if (s.artFeature === 1) {
    if (art.seen === 0) {
      art.low = value;
      art.high = value;
    }
    art.low = Math.min(art.low, value);
    art.high = Math.max(art.high, value);
    a = art.high > art.low ? (value - art.low) / (art.high - art.low) : 0.5;
  } else a = Math.max(0, Math.min(1, 0.5 + (0.5 * u) / cap));
  const levels = s.artLevels;
  art.window[art.pos] = levels > 0 ? Math.round(a * levels) / levels : a;
  art.pos = (art.pos + 1) % artWidth;
  art.seen += 1;
  for (let i = 0; i < artWidth; i++) {
    const v = art.window[(art.pos + i) % artWidth]!;
    input[i] = v;
    input[artWidth + i] = 1 - v;
  }
  if (art.seen < Math.max(artWidth, s.artWarm)) {
    learnOnly(art, s);
    return 1;
  }
  const rho = s.artVigilance;
  let bestT = -1;
  let bestJ = -1;
  let bestM = 0;
  for (let j = 0; j < art.used; j++) {
    let and = 0;
    let norm = 0;
    const base = j * dims;
    for (let i = 0; i < dims; i++) {
      const w = art.w[base + i]!;
      and += Math.min(w, input[i]!);
      norm += w;
    }
    const m = and / artWidth;
    if (m > bestM) bestM = m;
    if (m >= rho) {
      const t = and / (0.001 + norm);
      if (t > bestT) {
        bestT = t;
        bestJ = j;
      }
    }
  }
  if (bestJ >= 0) {
    const base = bestJ * dims;
    const beta = s.artLearn;
    for (let i = 0; i < dims; i++) {
      const w = art.w[base + i]!;
      art.w[base + i] = w + beta * (Math.min(w, input[i]!) - w);
    }
  } else {
    let slot: number;
    if (art.used < artCategories) slot = art.used++;
    else {
      slot = art.next;
      art.next = (art.next + 1) % artCategories;
    }
    art.w.set(input, slot * dims);
  }
  if (bestJ >= 0) return 0;
  if (s.artLower > 0) return bestM >= s.artLower ? 0 : 1;
  const graded = s.artGrade;
  return graded > 0 ? Math.min(1, (rho - bestM) / graded) : 1;
}

function learnOnly(art: Art, s: DetectorSettings) {
  if (art.seen < artWidth) return;
  let bestT = -1;
  let bestJ = -1;
  for (let j = 0; j < art.used; j++) {
    let and = 0;
    let norm = 0;
    const base = j * dims;
    for (let i = 0; i < dims; i++) {
      const w = art.w[base + i]!;
      and += Math.min(w, input[i]!);
      norm += w;
    }
    if (and / artWidth >= s.artVigilance) {
      const t = and / (0.001 + norm);
      if (t > bestT) {
        bestT = t;
        bestJ = j;
      }
    }
  }
  if (bestJ >= 0) {
    const base = bestJ * dims;
    for (let i = 0; i < dims; i++) art.w[base + i] = Math.min(art.w[base + i]!, input[i]!);
  } else {
    let slot: number;
    if (art.used < artCategories) slot = art.used++;
    else {
      slot = art.next;
      art.next = (art.next + 1) % artCategories;
    }
    art.w.set(input, slot * dims);
  }
}
