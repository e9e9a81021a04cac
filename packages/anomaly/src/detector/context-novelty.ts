import type { DetectorSettings } from "./score-point.ts";
import type { SeriesState } from "./series-state.ts";

/**
 * Context novelty, in the spirit of NAB's contextual anomaly detector (CAD OSE): each point becomes a symbol
 * (its standardised residual, quantised), and a context is the symbol with the one, two or three symbols
 * before it. What the series has done before is familiar however large it is (a tweet volume's bursts); what
 * it has never done is news. Novelty is the share of the three contexts never seen, in [0, 1].
 *
 * Memory is a fixed-size table of seen bits in two generations: bits are set in the current one, and every
 * `noveltyGeneration` points the current generation becomes the old one and a fresh one starts, so what the
 * series stopped doing is forgotten after one to two generations. The tables travel in the state as base64
 * (bits change rarely once a series is learned, so they are re-encoded only on change); decoded tables are
 * cached per state object.
 */
export const symbolCount = 8;
const orderBits = [symbolCount ** 2, symbolCount ** 3, symbolCount ** 4];
const orderStart = [0, orderBits[0]!, orderBits[0]! + orderBits[1]!];
/** Bytes of one generation's table: 64 + 512 + 4,096 bits. */
export const noveltyTableBytes = (orderBits[0]! + orderBits[1]! + orderBits[2]!) / 8;

interface Tables {
  current: Uint8Array;
  old: Uint8Array;
  /** The encodings the tables were decoded from (or last encoded to): a state replaced under us is reread. */
  currentText: string;
  oldText: string;
}
const cache = new WeakMap<SeriesState, Tables>();

export const emptyNoveltyTable = () => encode(new Uint8Array(noveltyTableBytes));

/**
 * The symbol of a standardised residual u: 0 for |u| < 1, then by sign 1–2.5, 2.5–5 and beyond 5 deviations
 * (symbols 1–3 above, 5–7 below; 4 is unused so that a symbol is 3 bits).
 */
export function residualSymbol(u: number, bands: readonly number[]): number {
  const size = Math.abs(u);
  const step = size < bands[0]! ? 0 : size < bands[1]! ? 1 : size < bands[2]! ? 2 : 3;
  return step === 0 ? 0 : u > 0 ? step : 4 + step;
}

/**
 * Reads the novelty of `symbol` after the state's last three symbols, and learns it. Returns the share of
 * the three contexts (orders 1–3) not seen in the last one to two generations.
 */
export function contextNovelty(state: SeriesState, symbol: number, s: DetectorSettings): number {
  const tables = tablesOf(state);
  if (state.ctxPoints >= s.noveltyGeneration) {
    tables.old = tables.current;
    tables.current = new Uint8Array(noveltyTableBytes);
    state.ctxOld = state.ctxSeen;
    tables.oldText = state.ctxOld;
    state.ctxPoints = 0;
    tables.currentText = state.ctxSeen = encode(tables.current);
  }
  state.ctxPoints += 1;
  let history = state.ctxHistory;
  let key = symbol;
  let unseen = 0;
  let changed = false;
  for (let order = 0; order < 3; order++) {
    key = key * symbolCount + (history % symbolCount);
    history = Math.floor(history / symbolCount);
    const bit = orderStart[order]! + key;
    const byte = bit >> 3;
    const mask = 1 << (bit & 7);
    if (((tables.current[byte]! | tables.old[byte]!) & mask) === 0) unseen += 1;
    if ((tables.current[byte]! & mask) === 0) {
      tables.current[byte]! |= mask;
      changed = true;
    }
  }
  // The last three symbols, newest in the lowest 3 bits.
  state.ctxHistory = (state.ctxHistory * symbolCount + symbol) % symbolCount ** 3;
  if (changed) tables.currentText = state.ctxSeen = encode(tables.current);
  return unseen / 3;
}

function tablesOf(state: SeriesState): Tables {
  let tables = cache.get(state);
  if (!tables || tables.currentText !== state.ctxSeen || tables.oldText !== state.ctxOld) {
    tables = {
      current: decode(state.ctxSeen),
      old: decode(state.ctxOld),
      currentText: state.ctxSeen,
      oldText: state.ctxOld,
    };
    cache.set(state, tables);
  }
  return tables;
}

function encode(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text);
}

function decode(text: string): Uint8Array {
  const bytes = new Uint8Array(noveltyTableBytes);
  const binary = atob(text);
  for (let i = 0; i < Math.min(binary.length, bytes.length); i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
