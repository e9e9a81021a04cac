export type SearchParams = Record<string, string | string[] | undefined>;

export interface TableParams<K extends string> {
  sort: K;
  dir: "asc" | "desc";
  page: number;
  pageSize: number;
  skip: number;
  q: string;
  /** The single-valued search params, so filters can read their own keys. */
  values: Record<string, string>;
}

function single(search: SearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(search)) {
    const v = Array.isArray(value) ? value[0] : value;
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** Sorting, filtering and paging state lives in the URL, so every view can be linked, reloaded and shared. */
export function tableParams<K extends string>(
  search: SearchParams,
  options: { sortable: readonly K[]; defaultSort: K; defaultDir?: "asc" | "desc"; pageSize?: number },
): TableParams<K> {
  const values = single(search);
  const sort = (options.sortable as readonly string[]).includes(values.sort ?? "")
    ? (values.sort as K)
    : options.defaultSort;
  const dir = values.dir === "asc" || values.dir === "desc" ? values.dir : (options.defaultDir ?? "asc");
  const page = Math.max(1, Math.min(10_000, Number.parseInt(values.page ?? "1", 10) || 1));
  const pageSize = options.pageSize ?? 25;
  return { sort, dir, page, pageSize, skip: (page - 1) * pageSize, q: (values.q ?? "").trim(), values };
}

/** The current URL's search with some keys replaced (undefined removes a key). */
export function withParams(
  values: Record<string, string>,
  changes: Record<string, string | undefined>,
): string {
  const next = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...values, ...changes })) if (value) next.set(key, value);
  const text = next.toString();
  return text ? `?${text}` : "?";
}
