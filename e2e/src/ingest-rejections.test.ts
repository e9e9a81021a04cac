import {
  aHost,
  aMeteredTenant,
  type RunningProcess,
  serviceEnv,
  startWeb,
  useTestDatabase,
} from "@meterplane/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCpuBatch } from "./batches.ts";

const t = useTestDatabase();
const metricsToken = "a-metrics-token-of-enough-length";
let web: RunningProcess & { url: string };

beforeAll(async () => {
  web = await startWeb(serviceEnv(t, { METRICS_TOKEN: metricsToken }));
});
afterAll(async () => web?.stop());

function post(credential: string | null, body: string, contentType = "application/json") {
  return fetch(`${web.url}/api/v1/ingest`, {
    method: "POST",
    headers: {
      "content-type": contentType,
      ...(credential ? { authorization: `Bearer ${credential}` } : {}),
    },
    body,
  });
}

const aBatch = (environmentId: string, sequence = 1) => aCpuBatch({ environmentId, sequence });

/** A valid batch of an unknown environment, unless `patch` breaks its one series first. */
const aBatchWith = (patch: Record<string, unknown>) =>
  aCpuBatch({ environmentId: "00000000-0000-4000-8000-000000000000", value: "1", series: patch });

async function errorOf(response: Response) {
  return ((await response.json()) as { error: unknown }).error;
}

async function storedBatches() {
  return t.db.prisma.batchKey.count();
}

describe("POST /api/v1/ingest refuses bad input with a code and a message, storing nothing", () => {
  it.each([
    ["no credential", null, "UNAUTHENTICATED", 401],
    ["a wrong credential", "mpc_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "UNAUTHENTICATED", 401],
  ])("%s", async (_case, credential, code, status) => {
    const { environment } = await aMeteredTenant(t.db);
    const before = await storedBatches();
    const response = await post(credential, aBatch(environment.id));
    expect(response.status).toBe(status);
    expect(await errorOf(response)).toMatchObject({ code, message: expect.any(String) });
    expect(await storedBatches()).toBe(before);
  });

  it("an environment that is not this host's", async () => {
    const { environment } = await aMeteredTenant(t.db);
    const { credential } = await aHost(t.db);
    const before = await storedBatches();
    const response = await post(credential, aBatch(environment.id));
    expect(response.status).toBe(422);
    expect(await errorOf(response)).toMatchObject({
      code: "UNKNOWN_ENVIRONMENT",
      message: expect.stringContaining(environment.id),
    });
    expect(await storedBatches()).toBe(before);
  });

  it.each([
    ["a body that is not JSON", "{not json", "BAD_REQUEST"],
    [
      "a batch without series",
      JSON.stringify({ sequence: 1, collectorVersion: "0.2.0", series: [] }),
      "VALIDATION_FAILED",
    ],
    ["a series without points", aBatchWith({ starts: [], seconds: [], values: [] }), "VALIDATION_FAILED"],
    ["a series whose arrays differ in length", aBatchWith({ values: ["1", "2"] }), "VALIDATION_FAILED"],
    ["a float value", aBatchWith({ values: [1.5] }), "VALIDATION_FAILED"],
    ["an unknown meter", aBatchWith({ meter: "gpu" }), "VALIDATION_FAILED"],
    [
      "a flat batch (collectors before 0.2.0) with a float value",
      JSON.stringify({
        sequence: 1,
        collectorVersion: "0.1.0",
        samples: [
          {
            environmentId: "00000000-0000-4000-8000-000000000000",
            meter: "cpu",
            start: new Date().toISOString(),
            seconds: 10,
            value: 1.5,
          },
        ],
      }),
      "VALIDATION_FAILED",
    ],
  ])("%s", async (_case, body, code) => {
    const { credential } = await aMeteredTenant(t.db);
    const before = await storedBatches();
    const response = await post(credential, body);
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({ code, message: expect.any(String) });
    expect(await storedBatches()).toBe(before);
  });

  it("accepts a good batch once and recognises its replay", async () => {
    const { credential, environment } = await aMeteredTenant(t.db);
    // A replay is the same batch again: the collector resends the bytes it spooled.
    const batch = aBatch(environment.id, 5);
    const first = await post(credential, batch);
    const replay = await post(credential, batch);
    expect(first.status).toBe(202);
    expect(await first.json()).toMatchObject({ status: "accepted" });
    expect(await replay.json()).toMatchObject({ status: "duplicate" });
  });
});

describe("GET /api/health", () => {
  it("reports Postgres, Redis and the queue to a caller holding METRICS_TOKEN", async () => {
    const response = await fetch(`${web.url}/api/health`, {
      headers: { authorization: `Bearer ${metricsToken}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: "ok",
      postgres: { ok: true },
      redis: { ok: true, value: "PONG" },
      queue: { ok: true, value: expect.objectContaining({ waiting: expect.any(Number) }) },
    });
  });
});
