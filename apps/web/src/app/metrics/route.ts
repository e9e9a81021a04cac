import { webMetrics } from "@/lib/metrics";
import { hasMetricsToken } from "@/lib/metrics-token";

export const dynamic = "force-dynamic";

/**
 * Prometheus scrape endpoint of this web process, for a scraper holding METRICS_TOKEN; to anyone else it
 * does not exist (404), so the public port gives away no counts or versions.
 */
export async function GET(request: Request) {
  if (!hasMetricsToken(request)) return new Response("Not Found", { status: 404 });
  const { registry } = webMetrics();
  return new Response(await registry.metrics(), {
    headers: { "content-type": registry.contentType, "cache-control": "no-store" },
  });
}
