import { hasMetricsToken } from "@/lib/metrics-token";
import { services } from "@/lib/server";

export const dynamic = "force-dynamic";

async function check<T>(
  probe: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
  try {
    return { ok: true, value: await probe() };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/**
 * Liveness and the state of what ingest depends on: 200 only when Postgres and Redis both answer. Anyone
 * learns only `ok` or `degraded`; the details (errors, queue counts) need METRICS_TOKEN.
 */
export async function GET(request: Request) {
  const { db, redis, aggregateQueue } = services();
  const [postgres, redisState, queue] = await Promise.all([
    check(async () => (await db.pool.query("SELECT 1")).rowCount === 1),
    check(() => redis.ping()),
    check(() => aggregateQueue.getJobCounts("waiting", "active", "delayed", "failed")),
  ]);
  const ok = postgres.ok && redisState.ok;
  const status = ok ? "ok" : "degraded";
  return Response.json(
    hasMetricsToken(request) ? { status, postgres, redis: redisState, queue } : { status },
    { status: ok ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
