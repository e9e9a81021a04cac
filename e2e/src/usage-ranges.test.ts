import { createUser, logIn } from "@meterplane/access";
import { systemActor } from "@meterplane/db";
import {
  aMeteredTenant,
  anApiKey,
  aUsageHistory,
  type RunningProcess,
  serviceEnv,
  startWeb,
  useTestDatabase,
} from "@meterplane/testing";
import { meterNames } from "@meterplane/wire";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webNodeOptions } from "../../scripts/lib/web-node-options.ts";

const t = useTestDatabase();
let web: RunningProcess & { url: string };
let operatorCookie: string;
let memberCookie: string;
let apiKey: string;
let tenantId: string;

const sessionOf = async (email: string) =>
  `mp_session=${(await logIn({ db: t.db, email, password: "usage-password-1" })).token}`;

beforeAll(async () => {
  const { tenant, environment } = await aMeteredTenant(t.db);
  tenantId = tenant.id;
  // Two months of every meter, so each chart has something to draw in every bucket of a wide range.
  const from = new Date(Date.UTC(2026, 9, 1));
  for (const meter of meterNames)
    await aUsageHistory(t.db, {
      tenantId,
      environmentId: environment.id,
      meter,
      from,
      hours: 24 * 61,
      value: 3,
    });
  const password = "usage-password-1";
  await createUser({
    db: t.db,
    actor: systemActor,
    email: "op@usage.test",
    name: "Op",
    password,
    operatorRole: "viewer",
  });
  await createUser({
    db: t.db,
    actor: systemActor,
    email: "member@usage.test",
    name: "Mem",
    password,
    tenantId,
  });
  operatorCookie = await sessionOf("op@usage.test");
  memberCookie = await sessionOf("member@usage.test");
  apiKey = (await anApiKey(t.db, { tenantId })).token;
  // The production web process's heap, under which one wide range once killed it.
  web = await startWeb(serviceEnv(t, { NODE_OPTIONS: webNodeOptions("") }));
}, 120_000);

afterAll(async () => {
  await web?.stop();
});

const get = (path: string, headers: Record<string, string>) =>
  fetch(`${web.url}${path}`, { headers, redirect: "manual" });

describe("a range wider than any reader accepts", () => {
  it("is refused by the usage pages with a message, and the web process lives on", async () => {
    for (const [path, cookie] of [
      ["/usage?range=custom&from=1976-12-05&to=2026-12-05", operatorCookie],
      ["/usage?from=1976-12-05&to=2026-12-05", operatorCookie],
      [`/tenant/${tenantId}/usage?range=custom&from=1976-12-05&to=2026-12-05`, memberCookie],
    ] as const) {
      const response = await get(path, { cookie });
      const html = await response.text();
      expect(response.status, path).toBe(200);
      expect(html, path).toContain("at most 3660 days");
    }
    expect(web.child.exitCode).toBeNull();
    expect((await fetch(`${web.url}/api/health`)).status).toBe(200);
  });

  it("is refused by the API with 400 and a code", async () => {
    const response = await get(
      "/api/v1/usage?from=1976-12-05T00:00:00Z&to=2026-12-05T00:00:00Z&granularity=month",
      {
        authorization: `Bearer ${apiKey}`,
      },
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("VALIDATION_FAILED");
  });

  it("is answered in buckets that grow with it: the widest accepted range draws a few dozen months", async () => {
    const response = await get("/usage?range=custom&from=2017-01-01&to=2026-12-05", {
      cookie: operatorCookie,
    });
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain("per month");
    expect(html.length).toBeLessThan(2_000_000);
  });

  it("gets a message, not a 500, for a date that does not exist", async () => {
    for (const path of [`/tenant/${tenantId}/usage?range=custom&from=2026-02-01&to=9999-99-99`]) {
      const response = await get(path, { cookie: memberCookie });
      expect(response.status, path).toBe(200);
      expect(await response.text()).toContain("not a date");
    }
  });
});
