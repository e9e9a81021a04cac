import { type ApiPrincipal, authenticateApiKey, requireScope } from "@meterplane/access";
import { AppError, isAppError } from "@meterplane/core";
import {
  etagOf,
  ifNoneMatchHits,
  limitRequest,
  type RateLimitState,
  rateLimitHeaders,
} from "@meterplane/exports";
import type { z } from "zod";
import { handleApiError } from "@/lib/api";
import { env } from "@/lib/env";
import { log, services } from "@/lib/server";
import type { Endpoint } from "./endpoints";

type Parsed<S> = S extends z.ZodType ? z.output<S> : Record<string, never>;

export interface V1Context<E extends Endpoint> {
  request: Request;
  principal: ApiPrincipal;
  /** The tenant whose data this request may read; null only for an operator-wide key without `tenantId`. */
  tenantId: string | null;
  query: Parsed<E["query"]>;
  params: Parsed<E["params"]>;
}

async function countRequest(principal: ApiPrincipal): Promise<RateLimitState | null> {
  try {
    return await limitRequest({
      redis: services().redis,
      subject: principal.keyId,
      limit: env().API_RATE_LIMIT_PER_MINUTE,
    });
  } catch (error) {
    if (isAppError(error)) throw error;
    // Redis away: reads keep working unthrottled (Postgres is the record); /api/health reports the outage.
    log.warn({ err: error }, "rate limiter unavailable");
    return null;
  }
}

function tenantOf(principal: ApiPrincipal, query: unknown): string | null {
  const requested = (query as { tenantId?: string } | undefined)?.tenantId;
  if (principal.tenantId && requested && requested !== principal.tenantId)
    throw new AppError("FORBIDDEN", "this API key can only read its own tenant's data");
  return principal.tenantId ?? requested ?? null;
}

/**
 * The one wrapper of every /api/v1 read: API key, rate limit (per key, RateLimit-* headers on every
 * answer), scope, validated params and query, the one error shape, and an ETag on JSON bodies so an
 * unchanged page answers 304 to `If-None-Match`. A handler returns a body to send as JSON, or a Response.
 */
export function v1Route<E extends Endpoint>(
  endpoint: E,
  handler: (context: V1Context<E>) => Promise<unknown>,
) {
  return async (request: Request, context: { params: Promise<Record<string, string>> }) => {
    let limits: Record<string, string> = {};
    try {
      const principal = await authenticateApiKey({
        db: services().db,
        authorization: request.headers.get("authorization"),
      });
      const state = await countRequest(principal).catch((error: unknown) => {
        if (isAppError(error) && error.code === "RATE_LIMITED")
          limits = rateLimitHeaders(error.details as RateLimitState, true);
        throw error;
      });
      if (state) limits = rateLimitHeaders(state);
      requireScope(principal, endpoint.scope);
      const params = endpoint.params ? endpoint.params.parse(await context.params) : {};
      const query = endpoint.query
        ? endpoint.query.parse(Object.fromEntries(new URL(request.url).searchParams))
        : {};
      const result = await handler({
        request,
        principal,
        tenantId: tenantOf(principal, query),
        query: query as Parsed<E["query"]>,
        params: params as Parsed<E["params"]>,
      });
      if (result instanceof Response) return withHeaders(result, limits);
      const body = JSON.stringify(result);
      const etag = etagOf(body);
      const headers = { ...limits, ETag: etag, "Cache-Control": "private, no-cache", Vary: "Authorization" };
      if (ifNoneMatchHits(request.headers.get("if-none-match"), etag))
        return new Response(null, { status: 304, headers });
      return new Response(body, { headers: { ...headers, "Content-Type": "application/json" } });
    } catch (error) {
      return withHeaders(handleApiError(error), limits);
    }
  };
}

function withHeaders(response: Response, headers: Record<string, string>): Response {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}
