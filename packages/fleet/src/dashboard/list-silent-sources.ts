import type { Database } from "@meterplane/db";
import { defaultIntervalSeconds } from "../collector/get-collector-config.ts";
import {
  type ReportingFacts,
  reportingColumns,
  reportingJoins,
  reportingOf,
  silentSql,
} from "../environments/environment-reporting.ts";

/**
 * What is not reporting, named so an operator can go to it: hosts not seen since `hostCutoff` (or never),
 * and environments "not reporting" by the rule every page uses (`environmentReporting`: no sample for three
 * of the host's intervals), with its reason, on a host that is itself reporting (an environment on a silent
 * host is silent with it and is counted there). At most `limit` of each, with the totals.
 */
export async function listSilentSources({
  db,
  hostCutoff,
  at = new Date(),
  limit = 10,
}: {
  db: Database;
  hostCutoff: Date;
  at?: Date;
  limit?: number;
}) {
  const [hosts, environments] = await Promise.all([
    db.pool.query<{ id: string; name: string; lastSeenAt: Date | null; total: string }>(
      `SELECT id, name, "lastSeenAt", count(*) OVER ()::text AS total FROM "Host"
        WHERE "removedAt" IS NULL AND ("lastSeenAt" IS NULL OR "lastSeenAt" < $1)
        ORDER BY "lastSeenAt" DESC NULLS LAST, name LIMIT $2`,
      [hostCutoff, limit],
    ),
    db.pool.query<
      ReportingFacts & {
        id: string;
        name: string;
        tenantId: string;
        tenantName: string;
        hostName: string;
        total: string;
      }
    >(
      `SELECT ${reportingColumns("$4")}, e.name, e."tenantId", t.name AS "tenantName", h.name AS "hostName",
              count(*) OVER ()::text AS total
         FROM ${reportingJoins} JOIN "Tenant" t ON t.id = e."tenantId"
        WHERE e."removedAt" IS NULL AND h."removedAt" IS NULL AND h."lastSeenAt" >= $1
          AND ${silentSql("$2", "$4")}
        ORDER BY t.name, e.name LIMIT $3`,
      [hostCutoff, at, limit, defaultIntervalSeconds],
    ),
  ]);
  return {
    hosts: hosts.rows.map(({ total: _, ...host }) => host),
    hostTotal: Number(hosts.rows[0]?.total ?? 0),
    environments: environments.rows.map((row) => {
      const reporting = reportingOf(row, at);
      return {
        id: row.id,
        name: row.name,
        tenantId: row.tenantId,
        tenantName: row.tenantName,
        hostName: row.hostName,
        lastSampleAt: row.lastSampleAt,
        reason: reporting.state === "reporting" ? "" : reporting.reason,
      };
    }),
    environmentTotal: Number(environments.rows[0]?.total ?? 0),
  };
}
