import { type RunningProcess, serviceEnv, startWeb, useTestDatabase } from "@meterplane/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matrixKeys, twoTenantsOnOneHost } from "./tenant-fixtures.ts";
import { checkOpenApi, responseValidator } from "./tenant-openapi-check.ts";

const t = useTestDatabase();
const rateLimit = 40;
let web: RunningProcess & { url: string };
let world: Awaited<ReturnType<typeof twoTenantsOnOneHost>>;
let keys: Awaited<ReturnType<typeof matrixKeys>>;
let doc: Record<string, unknown>;

beforeAll(async () => {
  world = await twoTenantsOnOneHost(t.db);
  keys = await matrixKeys(t.db, world.a.tenant.id, world.b.tenant.id);
  web = await startWeb(serviceEnv(t, { API_RATE_LIMIT_PER_MINUTE: String(rateLimit) }));
  doc = (await (await fetch(`${web.url}/api/v1/openapi.json`)).json()) as Record<string, unknown>;
});
afterAll(async () => {
  await web?.stop();
});

const get = (path: string, token: string | null, headers: Record<string, string> = {}) =>
  fetch(`${web.url}${path}`, {
    headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });

describe("the OpenAPI document of /api/v1", () => {
  it("is a valid OpenAPI 3.1 document whose every schema compiles", () => {
    expect(checkOpenApi(doc).problems).toEqual([]);
    expect(Object.keys(doc.paths as object).sort()).toEqual([
      "/api/v1/environments",
      "/api/v1/environments/{environmentId}",
      "/api/v1/invoices",
      "/api/v1/invoices/{invoiceId}",
      "/api/v1/invoices/{invoiceId}/lines",
      "/api/v1/samples",
      "/api/v1/usage",
    ]);
  });

  it("describes every real response: successes and errors, for tenant and operator keys", async () => {
    const { ajv } = checkOpenApi(doc);
    const range = `from=${new Date(world.hour - 86_400_000).toISOString()}&to=${new Date(world.hour + 3_600_000).toISOString()}`;
    const calls: [string, string][] = [
      ["/api/v1/environments", "/api/v1/environments?limit=1"],
      ["/api/v1/environments/{environmentId}", `/api/v1/environments/${world.a.environment.id}`],
      ["/api/v1/usage", `/api/v1/usage?${range}`],
      ["/api/v1/usage", `/api/v1/usage?${range}&granularity=day&dimensions=kind:file&meter=open_resources`],
      ["/api/v1/usage", `/api/v1/usage?${range}&granularity=month`],
      ["/api/v1/invoices", "/api/v1/invoices"],
      ["/api/v1/invoices/{invoiceId}", `/api/v1/invoices/${world.a.invoice.id}`],
      ["/api/v1/invoices/{invoiceId}/lines", `/api/v1/invoices/${world.a.invoice.id}/lines?limit=1`],
    ];
    for (const [template, path] of calls)
      for (const token of [keys.right, keys.admin]) {
        const response = await get(path, token);
        const body = (await response.json()) as { data?: unknown[] };
        expect(response.status, path).toBe(200);
        const validate = responseValidator(doc, ajv, template, 200);
        expect(validate?.(body), `${path}: ${JSON.stringify(validate?.errors)}`).toBe(true);
        expect(body.data ?? [body]).not.toHaveLength(0);
      }
    const errors: [string, string, string | null, number][] = [
      ["/api/v1/usage", "/api/v1/usage?from=yesterday", keys.right, 400],
      ["/api/v1/environments", "/api/v1/environments?cursor=bogus", keys.right, 400],
      ["/api/v1/environments", "/api/v1/environments", null, 401],
      ["/api/v1/invoices", "/api/v1/invoices", keys.withoutScope["invoices:read"], 403],
      ["/api/v1/invoices/{invoiceId}", `/api/v1/invoices/${world.a.invoice.id}`, keys.otherTenant, 404],
    ];
    for (const [template, path, token, status] of errors) {
      const response = await get(path, token);
      const body = await response.json();
      expect(response.status, path).toBe(status);
      const validate = responseValidator(doc, ajv, template, status);
      expect(validate?.(body), `${path}: ${JSON.stringify(validate?.errors)}`).toBe(true);
    }
  });

  it("pages with cursors until nextCursor is null, never repeating a row", async () => {
    const range = `from=${new Date(world.hour).toISOString()}&to=${new Date(world.hour + 3_600_000).toISOString()}`;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const suffix: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const page = (await (await get(`/api/v1/usage?${range}&limit=1${suffix}`, keys.admin)).json()) as {
        data: { environmentId: string; meter: string; dimensionKey: string }[];
        nextCursor: string | null;
      };
      seen.push(
        ...page.data.map(
          (r: { environmentId: string; meter: string; dimensionKey: string }) =>
            `${r.environmentId}/${r.meter}/${r.dimensionKey}`,
        ),
      );
      cursor = page.nextCursor;
    } while (cursor);
    // Two tenants × (cpu + open_resources kind=file + open_resources kind=socket) in one hour.
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
  });

  it("streams exports in the documented media types", async () => {
    const range = `from=${new Date(world.hour).toISOString()}&to=${new Date(world.hour + 3_600_000).toISOString()}`;
    const media = Object.keys(
      ((doc.paths as Record<string, { get: { responses: Record<string, { content: object }> } }>)[
        "/api/v1/samples"
      ]?.get.responses["200"]?.content ?? {}) as object,
    );
    const csv = await get(`/api/v1/samples?${range}&format=csv`, keys.right);
    expect(media).toContain(csv.headers.get("content-type")?.split(";")[0]);
    const rows = (await csv.text()).trim().split("\n");
    expect(rows[0]).toBe("tenantId,environmentId,meter,start,seconds,value,dimensions");
    expect(rows).toHaveLength(7);
    expect(rows.filter((row) => row.includes('"{""kind"": ""file""}"'))).toHaveLength(2);
  });

  it("answers 304 to a matching If-None-Match and sends RateLimit headers, then 429 with Retry-After", async () => {
    const first = await get("/api/v1/invoices", keys.admin);
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"[^"]+"$/);
    const again = await get("/api/v1/invoices", keys.admin, { "if-none-match": etag ?? "" });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
    const spender = keys.withoutScope["usage:read"];
    for (let i = 0; i < rateLimit; i++) expect((await get("/api/v1/environments", spender)).status).toBe(200);
    const last = await get("/api/v1/environments", spender);
    expect(last.status).toBe(429);
    expect(last.headers.get("ratelimit-limit")).toBe(String(rateLimit));
    expect(last.headers.get("ratelimit-remaining")).toBe("0");
    expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await last.json()) as { error: { code: string } }).error.code).toBe("RATE_LIMITED");
  });

  it("has a reference page rendered from this document, each operation in a group", async () => {
    const page = await fetch(`${web.url}/docs/api`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('"url":"/api/v1/openapi.json"');
    const document = (await (await fetch(`${web.url}/api/v1/openapi.json`)).json()) as {
      tags: { name: string }[];
      paths: Record<string, { get: { tags: string[] } }>;
    };
    const groups = document.tags.map((tag) => tag.name);
    for (const [path, { get }] of Object.entries(document.paths)) expect(groups, path).toContain(get.tags[0]);
  });
});
