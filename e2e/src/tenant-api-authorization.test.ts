import { type RunningProcess, serviceEnv, startWeb, useTestDatabase } from "@meterplane/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matrixKeys, twoTenantsOnOneHost } from "./tenant-fixtures.ts";

const t = useTestDatabase();
let web: RunningProcess & { url: string };
let world: Awaited<ReturnType<typeof twoTenantsOnOneHost>>;
let keys: Awaited<ReturnType<typeof matrixKeys>>;

beforeAll(async () => {
  world = await twoTenantsOnOneHost(t.db);
  keys = await matrixKeys(t.db, world.a.tenant.id, world.b.tenant.id);
  web = await startWeb(serviceEnv(t));
});
afterAll(async () => {
  await web?.stop();
});

type Caller = "none" | "revoked" | "otherTenant" | "withoutScope" | "right" | "admin";
const callers: Caller[] = ["none", "revoked", "otherTenant", "withoutScope", "right", "admin"];

/** Every endpoint of /api/v1 with tenant A's ids, its scope, and what another tenant's key must get. */
function endpoints() {
  const range = `from=${new Date(world.hour - 3_600_000).toISOString()}&to=${new Date(world.hour + 3_600_000).toISOString()}`;
  const { environment, invoice } = world.a;
  return [
    { path: "/api/v1/environments", scope: "environments:read", other: 200 },
    { path: `/api/v1/environments/${environment.id}`, scope: "environments:read", other: 404 },
    { path: `/api/v1/usage?${range}`, scope: "usage:read", other: 200 },
    {
      path: `/api/v1/usage?${range}&granularity=month&environmentId=${environment.id}`,
      scope: "usage:read",
      other: 200,
    },
    { path: `/api/v1/samples?${range}`, scope: "exports:read", other: 200 },
    {
      path: `/api/v1/samples?${range}&format=csv&environmentId=${environment.id}`,
      scope: "exports:read",
      other: 200,
    },
    { path: "/api/v1/invoices", scope: "invoices:read", other: 200 },
    { path: `/api/v1/invoices/${invoice.id}`, scope: "invoices:read", other: 404 },
    { path: `/api/v1/invoices/${invoice.id}/lines`, scope: "invoices:read", other: 404 },
  ] as const;
}

function tokenOf(caller: Caller, scope: keyof typeof keys.withoutScope): string | null {
  if (caller === "none") return null;
  if (caller === "withoutScope") return keys.withoutScope[scope];
  return keys[caller];
}

const expected = (caller: Caller, other: number) =>
  ({ none: 401, revoked: 401, otherTenant: other, withoutScope: 403, right: 200, admin: 200 })[caller];

describe("the /api/v1 authorization matrix", () => {
  it("answers every endpoint × key with the expected status, and never with another tenant's data", async () => {
    const a = world.a;
    const b = world.b;
    const secretsOfA = [a.tenant.id, a.environment.id, a.invoice.id];
    const secretsOfB = [b.tenant.id, b.environment.id, b.invoice.id];
    const outcomes: string[] = [];
    for (const endpoint of endpoints()) {
      for (const caller of callers) {
        const token = tokenOf(caller, endpoint.scope);
        const response = await fetch(`${web.url}${endpoint.path}`, {
          headers: token ? { authorization: `Bearer ${token}` } : {},
        });
        const body = await response.text();
        outcomes.push(`${endpoint.path.split("?")[0]} ${caller} ${response.status}`);
        expect(response.status, `${caller} on ${endpoint.path}: ${body.slice(0, 200)}`).toBe(
          expected(caller, endpoint.other),
        );
        if (response.status >= 400)
          expect(JSON.parse(body).error).toMatchObject({ code: expect.any(String) });
        // Tenant keys see their own tenant only: B's key never sees A's ids, A's key never B's.
        if (caller === "otherTenant") for (const id of secretsOfA) expect(body).not.toContain(id);
        if (caller === "right") {
          for (const id of secretsOfB) expect(body).not.toContain(id);
          expect(body).toContain(a.tenant.id);
        }
        if (caller === "admin") expect(body).toContain(a.tenant.id);
      }
    }
    expect(outcomes).toHaveLength(endpoints().length * callers.length);
  });

  it("refuses a tenant key that names another tenant, and hides drafts and guessed ids", async () => {
    const get = (path: string, token: string) =>
      fetch(`${web.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const other = await get(`/api/v1/environments?tenantId=${world.a.tenant.id}`, keys.otherTenant);
    expect(other.status).toBe(403);
    expect(await other.text()).not.toContain(world.a.environment.id);
    expect((await get(`/api/v1/invoices/${world.a.draft.id}`, keys.right)).status).toBe(404);
    expect((await get(`/api/v1/invoices/${world.a.draft.id}`, keys.admin)).status).toBe(200);
    expect((await get(`/api/v1/invoices/${crypto.randomUUID()}/lines`, keys.admin)).status).toBe(404);
    const scoped = await get(`/api/v1/environments?tenantId=${world.b.tenant.id}`, keys.admin);
    const body = await scoped.text();
    expect(body).toContain(world.b.environment.id);
    expect(body).not.toContain(world.a.environment.id);
  });

  it("exports only the key's tenant's samples out of batches shared with another tenant", async () => {
    const range = `from=${new Date(world.hour).toISOString()}&to=${new Date(world.hour + 3_600_000).toISOString()}`;
    const response = await fetch(`${web.url}/api/v1/samples?${range}`, {
      headers: { authorization: `Bearer ${keys.right}` },
    });
    expect(response.headers.get("content-type")).toContain("application/x-ndjson");
    const lines = (await response.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(6);
    expect(new Set(lines.map((l) => l.tenantId))).toEqual(new Set([world.a.tenant.id]));
    expect(lines).toContainEqual(
      expect.objectContaining({ meter: "open_resources", dimensions: { kind: "socket" } }),
    );
  });

  it("records a key's last use, at most once a minute", async () => {
    const prefix = keys.right.split("_")[1];
    const row = await t.db.prisma.apiKey.findUniqueOrThrow({ where: { prefix } });
    expect(row.lastUsedAt).not.toBeNull();
    await fetch(`${web.url}/api/v1/environments`, { headers: { authorization: `Bearer ${keys.right}` } });
    const again = await t.db.prisma.apiKey.findUniqueOrThrow({ where: { prefix } });
    expect(again.lastUsedAt).toEqual(row.lastUsedAt);
  });
});
