import { AppError } from "@meterplane/core";

/**
 * Opaque keyset cursors: the sort key of the last row of a page, as base64url JSON. Keyset (not offset)
 * pagination stays fast at any depth and never skips or repeats rows when new ones arrive.
 */
export function encodeCursor(key: (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/** What each field of a cursor's key is, checked on decoding so a tampered cursor never reaches SQL. */
export type CursorField = "uuid" | "instant" | "int" | "text";

const fieldPatterns: Record<CursorField, RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  instant: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/,
  int: /^\d{1,9}$/,
  text: /^[^\0]*$/,
};

const fits = (field: CursorField, value: unknown): value is string =>
  typeof value === "string" &&
  fieldPatterns[field].test(value) &&
  (field !== "instant" || !Number.isNaN(Date.parse(value)));

/**
 * The key of a cursor this endpoint returned, its fields checked against `shape`; throws VALIDATION_FAILED
 * (400) for anything else, a cursor edited to hold a non-uuid id or a date that is not one included.
 */
export function decodeCursor(cursor: string | undefined, shape: CursorField[]): string[] | null {
  if (cursor === undefined) return null;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(key) &&
      key.length === shape.length &&
      key.every((v, i) => fits(shape[i] as CursorField, v))
    )
      return key;
  } catch {
    // Falls through to the one error below: a cursor is either ours and intact, or invalid.
  }
  throw new AppError("VALIDATION_FAILED", "cursor: not a cursor this endpoint returned");
}

export interface Page<T> {
  data: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}

/** Turns `limit + 1` fetched rows into a page: the extra row only tells whether a next page exists. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => string[]): Page<T> {
  const data = rows.slice(0, limit);
  const last = data.at(-1);
  return { data, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
