import type { Database } from "@meterplane/db";
import { defaultIntervalSeconds } from "../collector/get-collector-config.ts";

export type Reporting =
  | { state: "reporting"; lastSampleAt: Date }
  | { state: "waiting"; lastSampleAt: null; reason: string }
  | { state: "not_reporting"; lastSampleAt: Date | null; reason: string };

/** Samples are shipped and aggregated within seconds; this much more is allowed before one counts as missing. */
const graceSeconds = 30;

/** What the rule reads of an environment: its own row, its host's last contact and its host's interval. */
export interface ReportingFacts {
  kind: string;
  createdAt: Date;
  lastSampleAt: Date | null;
  hostLastSeenAt: Date | null;
  intervalSeconds: number;
}

/**
 * The columns of `ReportingFacts` (and `id`), from `reportingJoins`; `$n` of the default interval is the
 * caller's parameter.
 */
export const reportingColumns = (defaultIntervalParam: string) =>
  `e.id, e.kind, e."createdAt", e."lastSampleAt", h."lastSeenAt" AS "hostLastSeenAt",
   coalesce(p."intervalSeconds", ${defaultIntervalParam})::int AS "intervalSeconds"`;
export const reportingJoins = `"Environment" e JOIN "Host" h ON h.id = e."hostId"
  LEFT JOIN "ClientPolicy" p ON p.id = h."policyId"`;
/**
 * The rule's "silent" in SQL, for lists that must find the silent environments among many (the dashboard):
 * no sample (or, never sampled, no creation) within the limit of `silenceLimitSeconds`.
 */
export const silentSql = (atParam: string, defaultIntervalParam: string) =>
  `coalesce(e."lastSampleAt", e."createdAt") <
     ${atParam}::timestamptz - make_interval(secs => 4 * coalesce(p."intervalSeconds", ${defaultIntervalParam}) + ${graceSeconds})`;

/** A sample starting at `lastSampleAt` covers one interval; three more without one is "not reporting". */
const silenceLimitMs = (intervalSeconds: number) => (4 * intervalSeconds + graceSeconds) * 1000;

/**
 * Whether an environment is sending samples: "not reporting" once three of its host's intervals have
 * passed without one, with the likeliest reason the server can tell (the collector stopped, or it runs but
 * does not find the environment); "waiting" while a new environment has not had three intervals yet.
 */
export function reportingOf(facts: ReportingFacts, at: Date): Reporting {
  const limit = silenceLimitMs(facts.intervalSeconds);
  const silentSince = (t: Date | null) => t === null || at.getTime() - t.getTime() > limit;
  if (!silentSince(facts.lastSampleAt)) return { state: "reporting", lastSampleAt: facts.lastSampleAt! };
  if (facts.lastSampleAt === null && !silentSince(facts.createdAt))
    return {
      state: "waiting",
      lastSampleAt: null,
      reason: "added just now: the host picks it up on its next config poll",
    };
  const what = facts.kind.replace("_", " ");
  const seen = facts.hostLastSeenAt;
  const reason =
    seen === null
      ? "the host's collector has never reported: enroll it with the command on the host page"
      : silentSince(seen)
        ? `the collector stopped: the host last reported ${seen.toISOString().slice(0, 16).replace("T", " ")} UTC`
        : `the collector runs but does not find this ${what}: it is not running, or the selector matches nothing on the host`;
  return { state: "not_reporting", lastSampleAt: facts.lastSampleAt, reason };
}

/** `reportingOf` for the given environments, read from their rows (`lastSampleAt` is kept by aggregation). */
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
  const { rows } = await db.pool.query<ReportingFacts & { id: string }>(
    `SELECT ${reportingColumns("$2")} FROM ${reportingJoins} WHERE e.id = ANY($1::uuid[])`,
    [environmentIds, defaultIntervalSeconds],
  );
  return new Map(rows.map((row) => [row.id, reportingOf(row, at)]));
}
