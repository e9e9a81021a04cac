import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "./env";

const digest = (text: string) => createHash("sha256").update(text).digest();

/**
 * Whether the request carries `Authorization: Bearer <METRICS_TOKEN>`: what the public port demands
 * before it shows queue counts, versions or errors (`/metrics`, the details of `/api/health`). Never
 * true while the variable is unset.
 */
export function hasMetricsToken(request: Request): boolean {
  const expected = env().METRICS_TOKEN;
  const sent = request.headers.get("authorization")?.match(/^Bearer (.+)$/)?.[1];
  return Boolean(expected && sent && timingSafeEqual(digest(sent), digest(expected)));
}
