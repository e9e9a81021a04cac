import type { Database } from "./client.ts";

/** What every operator list page asks of its query function: a search, a database sort, one page. */
export interface PageQuery<Sort extends string> {
  db: Database;
  q: string;
  sort: Sort;
  dir: "asc" | "desc";
  skip: number;
  take: number;
}
