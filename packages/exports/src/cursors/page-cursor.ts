import { AppError } from "@meterplane/core";

/**
 * Opaque keyset cursors: the sort key of the last row of a page, as base64url JSON. Keyset (not offset)
 * pagination stays fast at any depth and never skips or repeats rows when new ones arrive.
 */
export function encodeCursor(key: (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

export function decodeCursor(cursor: string | undefined, arity: number): string[] | null {
  if (cursor === undefined) return null;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(key) && key.length === arity && key.every((v) => typeof v === "string")) return key;
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
