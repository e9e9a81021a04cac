import { getUsage, type UsageRow } from "@meterplane/usage";
import { decodeCursor, type Page, toPage } from "../cursors/page-cursor.ts";

export const rollupGranularities = ["hour", "day", "month"] as const;
export type RollupGranularity = (typeof rollupGranularities)[number];
export type UsageRollup = UsageRow;

export interface UsageRollupQuery {
  db: Parameters<typeof getUsage>[0]["db"];
  /** Null only for an operator-wide key: every tenant. */
  tenantId: string | null;
  granularity: RollupGranularity;
  from: Date;
  to: Date;
  environmentId?: string;
  meter?: string;
  /** Only rollups whose dimensions include all of these pairs. */
  dimensions?: Record<string, string>;
  limit: number;
  cursor?: string;
}

/**
 * The API's pages of usage rollups: whole buckets of `granularity` that overlap [from, to), read by
 * `getUsage` (so a range that starts or ends inside a day or month includes that whole day or month).
 */
export async function listUsageRollups({
  granularity,
  cursor,
  limit,
  ...filter
}: UsageRollupQuery): Promise<Page<UsageRollup>> {
  const after = decodeCursor(cursor, ["instant", "uuid", "text", "text"]) as
    | [string, string, string, string]
    | null;
  const rows = await getUsage({ ...filter, bucket: granularity, after, limit: limit + 1 });
  return toPage(rows, limit, (row) => [row.bucketStart, row.environmentId, row.meter, row.dimensionKey]);
}
