import { type RunningProcess, serviceEnv, startWeb, useTestDatabase } from "@meterplane/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCpuBatch } from "./batches.ts";
import { aRouteWorld } from "./route-world.ts";

const t = useTestDatabase();
const metricsToken = "a-metrics-token-of-enough-length";
let web: RunningProcess & { url: string };
let world: Awaited<ReturnType<typeof aRouteWorld>>;

beforeAll(async () => {
  world = await aRouteWorld(t.db);
  web = await startWeb(serviceEnv(t, { METRICS_TOKEN: metricsToken }));
});
afterAll(async () => web?.stop());

const get = (path: string, cookie?: string, headers: Record<string, string> = {}) =>
  fetch(`${web.url}${path}`, { headers: { ...(cookie ? { cookie } : {}), ...headers }, redirect: "manual" });

function directives(policy: string | null): Map<string, string> {
  return new Map(
    (policy ?? "")
      .split(";")
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => [d.split(" ")[0] as string, d.slice(d.indexOf(" ") + 1)]),
  );
}

function expectBaseHeaders(response: Response, what: string) {
  expect(response.headers.get("x-content-type-options"), what).toBe("nosniff");
  expect(response.headers.get("referrer-policy"), what).toBe("same-origin");
  expect(directives(response.headers.get("content-security-policy")).get("frame-ancestors"), what).toBe(
    "'none'",
  );
}

describe("security headers", () => {
  it("every page has a CSP whose scripts need this response's nonce (no unsafe-inline), and Next's scripts carry it", async () => {
    const pages = [
      ...world.portalPages.map((path) => [path, world.cookies.operator] as const),
      ...world.tenantPages.map((path) => [path, world.cookies.member] as const),
      ...world.publicPages.map((path) => [path, undefined] as const),
    ];
    const nonces = new Set<string>();
    for (const [path, cookie] of pages) {
      const response = await get(path, cookie);
      const html = await response.text();
      expect(response.status, `${path}: ${html.slice(0, 300)}`).toBe(200);
      expectBaseHeaders(response, path);
      const script = directives(response.headers.get("content-security-policy")).get("script-src") ?? "";
      expect(script, path).not.toContain("unsafe-inline");
      const nonce = script.match(/'nonce-([^']+)'/)?.[1];
      expect(nonce, `${path} script-src: ${script}`).toBeTruthy();
      nonces.add(nonce as string);
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map(([tag]) => tag);
      expect(scripts.length, path).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
    }
    expect(nonces.size).toBe(pages.length);
  });

  it("API answers, health and ingest carry the fixed headers (nothing may load or frame them); files too", async () => {
    const responses = [
      ["/api/v1/invoices", await get("/api/v1/invoices")],
      ["/api/health", await get("/api/health")],
      ["/api/v1/openapi.json", await get("/api/v1/openapi.json")],
      ...(await Promise.all(
        world.files.map(async (path) => [path, await get(path, world.cookies.operator)] as const),
      )),
      [
        "/api/v1/ingest",
        await fetch(`${web.url}/api/v1/ingest`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: aCpuBatch({ environmentId: world.a.environment.id }),
        }),
      ],
    ] as const;
    for (const [path, response] of responses) {
      expectBaseHeaders(response, path);
      if (!(world.files as string[]).includes(path))
        expect(directives(response.headers.get("content-security-policy")).get("default-src"), path).toBe(
          "'none'",
        );
    }
  });
});

describe("what the public port tells about the service", () => {
  it("health is only ok or not, unless the caller holds METRICS_TOKEN", async () => {
    const open = await get("/api/health");
    expect(open.status).toBe(200);
    expect(await open.json()).toEqual({ status: "ok" });
    const detailed = await get("/api/health", undefined, { authorization: `Bearer ${metricsToken}` });
    expect(await detailed.json()).toMatchObject({
      status: "ok",
      postgres: { ok: true },
      queue: { ok: true },
    });
  });

  it("/metrics does not exist without METRICS_TOKEN", async () => {
    for (const authorization of [
      undefined,
      "Bearer wrong-token-wrong-token-wrong",
      `Bearer ${metricsToken}x`,
    ]) {
      const response = await get("/metrics", undefined, authorization ? { authorization } : {});
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain("mp_");
    }
    const scraped = await get("/metrics", undefined, { authorization: `Bearer ${metricsToken}` });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain("process_cpu_seconds_total");
  });
});

describe("signing out", () => {
  it("a tenant user signs out with the control on the tenant pages: the session ends", async () => {
    const page = await get(world.tenantPages[0] as string, world.cookies.member);
    const html = await page.text();
    const csrf = html.match(/<form[^>]*action="\/logout"[^>]*>.*?name="csrf" value="([^"]+)"/s)?.[1];
    expect(csrf, "a sign-out form on the tenant page").toBeTruthy();
    const response = await fetch(`${web.url}/logout`, {
      method: "POST",
      headers: {
        cookie: world.cookies.member,
        origin: web.url,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ csrf: csrf as string }),
      redirect: "manual",
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/login");
    const after = await get(world.tenantPages[0] as string, world.cookies.member);
    expect(after.status).toBe(307);
    expect(after.headers.get("location")).toContain("/login");
  });
});
