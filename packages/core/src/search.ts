/**
 * What a form's search picker offers: a few records matching what was typed, never the whole table, so a
 * page's size does not grow with the number of tenants or hosts. `more` says there were others (type more).
 */
export interface PickerMatch {
  id: string;
  label: string;
}
export interface PickerMatches {
  matches: PickerMatch[];
  more: boolean;
}

/** At most this many matches a search: enough to pick from by eye, few enough to stay small. */
export const pickerLimit = 20;

/** `q` as a literal LIKE/ILIKE fragment: its `%`, `_` and `\` match themselves (Postgres's default escape `\`). */
function likeLiteral(q: string): string {
  return q.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** LIKE patterns for a search: anything containing `q`, and anything starting with it (ranked first). */
export function searchPatterns(q: string): { contains: string; prefix: string } {
  const literal = likeLiteral(q.trim());
  return { contains: `%${literal}%`, prefix: `${literal}%` };
}

/** The one record a search found when it found exactly one: with nothing else to choose, a form starts on it. */
export function onlyMatch({ matches, more }: PickerMatches): PickerMatch | undefined {
  return matches.length === 1 && !more ? matches[0] : undefined;
}

/** The first `pickerLimit` of rows read with a limit one higher, and whether there were more. */
export function pickerMatches(rows: PickerMatch[]): PickerMatches {
  return { matches: rows.slice(0, pickerLimit), more: rows.length > pickerLimit };
}
