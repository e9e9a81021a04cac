import { readFileSync } from "node:fs";
import {
  anApiKey,
  type RunningProcess,
  repoRoot,
  serviceEnv,
  startWeb,
  useTestDatabase,
} from "@meterplane/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aRouteWorld } from "./route-world.ts";

/**
 * Every route called with malformed ids, cursors, dates and query strings, as an attacker or a careless
 * user would: the answer is never a 5xx, and nothing in the database changes.
 */
const t = useTestDatabase();
let web: RunningProcess & { url: string };
let world: Awaited<ReturnType<typeof aRouteWorld>>;
let adminKey: string;

beforeAll(async () => {
  world = await aRouteWorld(t.db);
  const scopes = ["usage:read", "invoices:read", "environments:read", "exports:read"] as const;
  adminKey = (await anApiKey(t.db, { tenantId: null, scopes: [...scopes] })).token;
  web = await startWeb(serviceEnv(t));
});
afterAll(async () => web?.stop());

const cursor = (key: unknown) => Buffer.from(JSON.stringify(key)).toString("base64url");
const badIds = [
  "not-a-uuid",
  "-".repeat(36),
  "00000000-0000-0000-0000-00000000000g",
  "%00",
  "'%20OR%201=1--",
  "a".repeat(5000),
];
const badQueries = [
  "from=9999-99-99&to=9999-99-99",
  "to=9999-99-99",
  "from=1976-12-05T00:00:00Z&to=1976-12-04T00:00:00Z",
  "from=not-a-date&to=",
  `cursor=${cursor(["not-a-uuid"])}`,
  `cursor=${cursor(["9999-99-99T00:00:00Z", "not-a-uuid"])}`,
  "cursor=%%%",
  "limit=-1&page=-5&sort=%00&dir=sideways",
  "tenant=not-a-slug&status=%27&environmentId=not-a-uuid&tenantId=---&meter=nope&granularity=year",
  "from[]=1&from[]=2&to=2026-13-01",
];

/** Every table's row count: a request that changes nothing leaves them all as they were. */
async function fingerprint(): Promise<string> {
  const { rows } = await t.db.pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'SampleBatch_%'
        AND table_name NOT IN ('Session', '_prisma_migrations') ORDER BY table_name`,
  );
  const counts = await Promise.all(
    rows.map(async ({ table_name }) => {
      const { rows: n } = await t.db.pool.query(`SELECT count(*)::int AS n FROM "${table_name}"`);
      return `${table_name}=${n[0].n}`;
    }),
  );
  return counts.join(" ");
}

async function call(path: string, init: RequestInit & { cookie?: string; bearer?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set("cookie", init.cookie);
  if (init.bearer) headers.set("authorization", `Bearer ${init.bearer}`);
  const response = await fetch(`${web.url}${path}`, { ...init, headers, redirect: "manual" });
  const body = await response.text();
  return { status: response.status, body: body.slice(0, 300) };
}

/** Runs `probe` over `items`, four at a time (a page render waits on Postgres, not on this test). */
async function eachFour<T>(items: T[], probe: (item: T) => Promise<void>) {
  const queue = [...items];
  await Promise.all(
    [0, 1, 2, 3].map(async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await probe(item);
    }),
  );
}

function withIds(template: string): string[] {
  return badIds.map((id) => template.replaceAll("{id}", id));
}

function fuzzedPaths() {
  const { tenant, invoice } = world.a;
  const t = `/tenant/${tenant.id}`;
  const pages = [...world.portalPages, ...world.tenantPages, ...world.publicPages, ...world.files];
  const idRoutes = [
    "/tenants/{id}",
    "/environments/{id}",
    "/hosts/{id}",
    "/plans/{id}",
    "/invoices/{id}/{id}",
    `/invoices/${tenant.id}/{id}`,
    "/invoices/{id}/{id}/pdf",
    `/invoices/${tenant.id}/{id}/pdf`,
    "/tenant/{id}/usage",
    "/tenant/{id}/invoices",
    `${t}/invoices/{id}`,
    `${t}/invoices/{id}/invoice.pdf`,
    `${t}/invoices/{id}/invoice.csv`,
    `/tenant/{id}/invoices/${invoice.id}/invoice.csv`,
    "/pickers/tenants?id={id}",
    "/pickers/hosts?q={id}&exclude={id}",
    "/pickers/plan-versions?q={id}",
  ].flatMap(withIds);
  return { pages, idRoutes };
}

function apiPaths() {
  return [
    "/api/v1/environments",
    "/api/v1/usage",
    "/api/v1/samples",
    "/api/v1/invoices",
    `/api/v1/invoices/${world.a.invoice.id}/lines`,
    ...withIds("/api/v1/environments/{id}"),
    ...withIds("/api/v1/invoices/{id}"),
    ...withIds("/api/v1/invoices/{id}/lines"),
  ];
}

describe("the route fuzz test", () => {
  it("pages, files and tenant pages answer malformed ids and query strings with a 4xx or a page, never a 5xx", async () => {
    const before = await fingerprint();
    const { pages, idRoutes } = fuzzedPaths();
    const failures: string[] = [];
    const cookieFor = (path: string) =>
      path.startsWith("/tenant/") ? world.cookies.member : world.cookies.operator;
    const paths = [...idRoutes, ...pages.flatMap((page) => badQueries.map((query) => `${page}?${query}`))];
    await eachFour(paths, async (path) => {
      const { status, body } = await call(path, { cookie: cookieFor(path) });
      if (status >= 500) failures.push(`${status} GET ${path.slice(0, 160)}: ${body}`);
    });
    expect(failures).toEqual([]);
    expect(await fingerprint()).toBe(before);
  }, 600_000);

  it("/api/v1 answers malformed ids, cursors, dates and query strings with a 4xx carrying a code", async () => {
    const before = await fingerprint();
    const failures: string[] = [];
    const urls = apiPaths().flatMap((path) => ["", ...badQueries].map((query) => `${path}?${query}`));
    await eachFour(urls, async (url) => {
      const { status, body } = await call(url, { bearer: adminKey });
      if (status >= 500) failures.push(`${status} GET ${url}: ${body}`);
      else if (status >= 400 && !body.includes('"code"')) failures.push(`${status} without a code: ${url}`);
    });
    expect(failures).toEqual([]);
    expect(await fingerprint()).toBe(before);
  }, 300_000);

  it("ingest and the collector's endpoints refuse malformed bodies and credentials with a 4xx", async () => {
    const before = await fingerprint();
    const failures: string[] = [];
    const bodies = ["", "{", "[]", "null", '{"sequence":"x"}', "a".repeat(10_000), '{"__proto__":{"x":1}}'];
    for (const path of ["/api/v1/ingest", "/api/v1/collector/enroll"])
      for (const body of bodies)
        for (const authorization of ["", "Bearer mpc_x_y", `Bearer ${"-".repeat(36)}`]) {
          const { status, body: answer } = await call(path, {
            method: "POST",
            body,
            headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
          });
          if (status >= 500) failures.push(`${status} POST ${path} ${body.slice(0, 20)}: ${answer}`);
        }
    const config = await call("/api/v1/collector/config", { headers: { authorization: "Bearer mpc_%00_'" } });
    if (config.status >= 500) failures.push(`${config.status} GET /api/v1/collector/config`);
    expect(failures).toEqual([]);
    expect(await fingerprint()).toBe(before);
  });

  it("every server action answers malformed ids, dates and amounts without a 5xx, as every role, and changes nothing", async () => {
    const before = await fingerprint();
    const failures: string[] = [];
    const manifest = JSON.parse(
      readFileSync(`${repoRoot}apps/web/.next/server/server-reference-manifest.json`, "utf8"),
    ) as { node: Record<string, { workers: Record<string, unknown>; exportedName: string }> };
    const pages = [...world.portalPages, ...world.tenantPages];
    // A worker `app/(portal)/environments/[id]/page` is served at a page of that shape.
    const pageOf = (worker: string) => {
      const shape = worker
        .replace(/^app/, "")
        .replace(/\/page$/, "")
        .replace(/\/\([^)]+\)/g, "")
        .replace(/\[[^\]]+\]/g, "[^/]+");
      return pages.find((page) => new RegExp(`^${shape || "/"}$`).test(page));
    };
    const actions = Object.entries(manifest.node).flatMap(([id, { workers, exportedName }]) => {
      const page = Object.keys(workers).map(pageOf).find(Boolean);
      return page ? [{ id, page, name: exportedName }] : [];
    });
    expect(actions.length).toBeGreaterThan(20);
    const probes = actions.flatMap((action) =>
      badIds
        .slice(0, 3)
        .flatMap((bad) =>
          [world.cookies.operator, world.cookies.member].map((cookie) => ({ ...action, bad, cookie })),
        ),
    );
    await eachFour(probes, async ({ id, page, name, bad, cookie }) => {
      // React's encoding of an action's arguments (previous state, form data): the form's fields are
      // the parts named `1_<field>`, the arguments themselves part `0`.
      const form = new FormData();
      form.set("0", JSON.stringify([{ ok: true, message: "" }, "$K1"]));
      for (const field of [
        "tenantId",
        "environmentId",
        "hostId",
        "planId",
        "invoiceId",
        "userId",
        "keyId",
        "id",
      ])
        form.set(`1_${field}`, bad);
      for (const field of ["from", "to", "at", "startAt", "periodStart"])
        form.set(`1_${field}`, "9999-99-99");
      for (const field of ["amount", "quantity", "unitPrice"]) form.set(`1_${field}`, "1e999");
      const { status, body } = await call(page, {
        method: "POST",
        body: form,
        cookie,
        headers: { origin: web.url, "next-action": id, accept: "text/x-component" },
      });
      if (status >= 500) failures.push(`${status} ${name} on ${page} with ${bad}: ${body.slice(0, 200)}`);
    });
    expect(failures).toEqual([]);
    expect(await fingerprint()).toBe(before);
  }, 600_000);
});
