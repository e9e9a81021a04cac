import type { ReactNode } from "react";
import { EmptyState } from "./states";
import { type TableParams, withParams } from "./table-params";

export interface Column<T> {
  key: string;
  label: string;
  sortable?: boolean;
  numeric?: boolean;
  render: (row: T) => ReactNode;
}

/**
 * A server-rendered table whose sort and page are links (?sort=&dir=&page=): no client JavaScript, and the
 * database does the sorting and paging so a page costs the same with ten rows or a million.
 */
export function DataTable<T>({
  columns,
  rows,
  rowKey,
  params,
  total,
  empty,
  testId,
}: {
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  params?: TableParams<string>;
  total?: number;
  empty: ReactNode;
  testId?: string;
}) {
  if (rows.length === 0 && !params?.q && (params?.page ?? 1) === 1)
    return <EmptyState title="Nothing here yet">{empty}</EmptyState>;
  return (
    <div className="table-wrap">
      <table data-testid={testId}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th
                key={column.key}
                className={column.numeric ? "num" : undefined}
                aria-sort={ariaSort(column, params)}
              >
                {column.sortable && params ? (
                  <a
                    href={withParams(params.values, {
                      sort: column.key,
                      dir: params.sort === column.key && params.dir === "asc" ? "desc" : "asc",
                      page: undefined,
                    })}
                  >
                    {column.label}
                    {params.sort === column.key ? (params.dir === "asc" ? " ▲" : " ▼") : ""}
                  </a>
                ) : (
                  column.label
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="muted">
                No rows match this filter. Clear it to see everything.
              </td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((column) => (
                  <td key={column.key} className={column.numeric ? "num" : undefined}>
                    {column.render(row)}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
      {params && total !== undefined ? <Pagination params={params} total={total} /> : null}
    </div>
  );
}

function ariaSort(column: { key: string; sortable?: boolean }, params?: TableParams<string>) {
  if (!column.sortable || params?.sort !== column.key) return undefined;
  return params.dir === "asc" ? "ascending" : "descending";
}

export function Pagination({ params, total }: { params: TableParams<string>; total: number }) {
  const pages = Math.max(1, Math.ceil(total / params.pageSize));
  return (
    <nav className="pagination" aria-label="Pages">
      <span>
        {total} {total === 1 ? "row" : "rows"} · page {params.page} of {pages}
      </span>
      {params.page > 1 ? (
        <a href={withParams(params.values, { page: String(params.page - 1) })}>← Previous</a>
      ) : null}
      {params.page < pages ? (
        <a href={withParams(params.values, { page: String(params.page + 1) })}>Next →</a>
      ) : null}
    </nav>
  );
}

/** A GET form: the filter becomes search params, keeping the sort and resetting the page. */
export function FilterBar({
  params,
  placeholder = "Search",
  selects = [],
  children,
}: {
  params: TableParams<string>;
  placeholder?: string;
  selects?: { name: string; label: string; options: { value: string; label: string }[] }[];
  children?: ReactNode;
}) {
  return (
    <form className="filter-bar" method="get">
      <input
        type="search"
        name="q"
        defaultValue={params.q}
        placeholder={placeholder}
        aria-label={placeholder}
      />
      {selects.map((select) => (
        <select
          key={select.name}
          name={select.name}
          defaultValue={params.values[select.name] ?? ""}
          aria-label={select.label}
        >
          <option value="">{select.label}: all</option>
          {select.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      ))}
      {children}
      <input type="hidden" name="sort" value={params.sort} />
      <input type="hidden" name="dir" value={params.dir} />
      <button type="submit" className="btn btn-secondary">
        Filter
      </button>
    </form>
  );
}
