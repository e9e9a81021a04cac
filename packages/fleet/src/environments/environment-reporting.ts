import type { Database } from "@meterplane/db";
import { defaultIntervalSeconds } from "../collector/get-collector-config.ts";

export type Reporting =
  | { state: "reporting"; lastSampleAt: Date }
  | { state: "waiting"; lastSampleAt: null; reason: string }
  | { state: "not_reporting"; lastSampleAt: Date | null; reason: string };

/** Samples are shipped and aggregated within seconds; this much more is allowed before one counts as missing. */
const graceMs = 30_000;
/** How far back to look for an environment's last sample: further back is "not reporting" all the same. */
const lookBackMs = 2 * 86_400_000;

/**
 * Whether each environment is sending samples: "not reporting" once three of its host's intervals have
 * passed without one, with the likeliest reason the server can tell (the collector stopped, or it runs but
 * does not find the environment); "waiting" while a new environment has not had three intervals yet.
 */
export async function environmentReporting({
  db,
  environmentIds,
  at = new Date(),
}: {
  db: Database;
  environmentIds: string[];
  at?: Date;
}): Promise<Map<string, Reporting>> {
  if (environmentIds.length === 0) return new Map();
  const { rows } = await db.pool.query<{
    id: string;
    kind: string;
    createdAt: Date;
    lastSeenAt: Date | null;
    intervalSeconds: number;
    lastSampleAt: Date | null;
  }>(
    `SELECT e.id, e.kind, e."createdAt", h."lastSeenAt", coalesce(p."intervalSeconds", $3) AS "intervalSeconds",
            (SELECT max(u."lastAt") FROM "UsageHourly" u
              WHERE u."tenantId" = e."tenantId" AND u."environmentId" = e.id AND u."bucketStart" >= $2) AS "lastSampleAt"
       FROM "Environment" e JOIN "Host" h ON h.id = e."hostId" LEFT JOIN "ClientPolicy" p ON p.id = h."policyId"
      WHERE e.id = ANY($1::uuid[])`,
    [environmentIds, new Date(at.getTime() - lookBackMs), defaultIntervalSeconds],
  );
  return new Map(
    rows.map((row): [string, Reporting] => {
      // A sample starting at lastAt covers one interval; three more without one is "not reporting".
      const limit = 4 * row.intervalSeconds * 1000 + graceMs;
      const silentSince = (t: Date | null) => t === null || at.getTime() - t.getTime() > limit;
      if (!silentSince(row.lastSampleAt))
        return [row.id, { state: "reporting", lastSampleAt: row.lastSampleAt! }];
      if (row.lastSampleAt === null && !silentSince(row.createdAt))
        return [
          row.id,
          {
            state: "waiting",
            lastSampleAt: null,
            reason: "added just now: the host picks it up on its next config poll",
          },
        ];
      const what = row.kind.replace("_", " ");
      const reason =
        row.lastSeenAt === null
          ? "the host's collector has never reported: enroll it with the command on the host page"
          : silentSince(row.lastSeenAt)
            ? `the collector stopped: the host last reported ${row.lastSeenAt.toISOString().slice(0, 16).replace("T", " ")} UTC`
            : `the collector runs but does not find this ${what}: it is not running, or the selector matches nothing on the host`;
      return [row.id, { state: "not_reporting", lastSampleAt: row.lastSampleAt, reason }];
    }),
  );
}
