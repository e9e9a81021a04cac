import { gzipSync } from "node:zlib";
import {
  aMeteredTenant,
  type RunningProcess,
  serviceEnv,
  startWeb,
  useTestDatabase,
} from "@meterplane/testing";
import { encodeBatch, simulatedBatches } from "@meterplane/usage/test";
import { type Batch, maxBatchBytes, maxSamplesPerBatch } from "@meterplane/wire";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * Malformed, oversized, hostile and boundary batches against the real endpoint of the built app: each one
 * must get a clean 4xx with a code and a message, and none may leave a row behind.
 */
// biome-ignore lint/correctness/useHookAtTopLevel: a vitest helper named like a hook, not a React hook.
const t = useTestDatabase();
let web: RunningProcess & { url: string };
let credential: string;
let valid: Batch;
let foreignEnvironmentId: string;

beforeAll(async () => {
  web = await startWeb(serviceEnv(t));
  const mine = await aMeteredTenant(t.db);
  foreignEnvironmentId = (await aMeteredTenant(t.db)).environment.id;
  credential = mine.credential;
  [valid] = simulatedBatches({
    environmentIds: [mine.environment.id],
    batches: 1,
    from: new Date(Date.now() - 3600_000),
  }) as [Batch];
});

afterAll(async () => {
  await web?.stop();
});

interface Attempt {
  body: Uint8Array | string;
  headers?: Record<string, string>;
}

/** Built once `valid` exists: every arbitrary starts from that good batch and breaks one thing. */
function badAttempts(): fc.Arbitrary<Attempt> {
  const json = (value: unknown): Attempt => ({ body: JSON.stringify(value) });
  const withSample = (patch: Record<string, unknown>): Attempt =>
    json({ ...valid, samples: [{ ...valid.samples[0], ...patch }] });
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();

  const malformed = fc.oneof(
    fc.string().map((body) => ({ body })),
    fc.uint8Array({ maxLength: 2000 }).map((body) => ({ body })),
    fc.jsonValue().map(json),
    fc.constant({ body: `${"[".repeat(100_000)}${"]".repeat(100_000)}` }),
    fc.constant({ body: '{"sequence": 1, "samples": [' }),
  );

  const hostile = fc.oneof(
    fc.constant(json({ ...valid, __proto__: { admin: true }, constructor: { prototype: {} } })),
    fc.constant(json({ ...valid, extra: 1 })),
    fc.constantFrom(-1, 1.5, 2 ** 53, 1e308, "1").map((sequence) => json({ ...valid, sequence })),
    fc
      .constantFrom(
        "-1",
        "1e400",
        "NaN",
        "Infinity",
        "0x10",
        " 1",
        "1.",
        "1".repeat(21),
        "1.0000000000001",
        "",
      )
      .map((value) => withSample({ value })),
    fc.constantFrom(0, -1, 3600.0001, 1e308, "10", null).map((seconds) => withSample({ seconds })),
    fc.constantFrom("cpu ", "gpu", "__proto__", "").map((meter) => withSample({ meter })),
    fc
      .constantFrom("not-a-uuid", "00000000-0000-0000-0000-000000000000", "\u0000")
      .map((environmentId) => withSample({ environmentId })),
    fc.constant(null).map(() => withSample({ environmentId: foreignEnvironmentId })),
    fc
      .constantFrom(
        { kind: "socket" },
        { direction: "sideways" },
        { channel: "\u0000" },
        { ["x".repeat(100)]: "y" },
      )
      .map((dimensions) => withSample({ meter: "data_throughput", dimensions })),
    fc
      .constantFrom(
        // Far enough ahead to stay in the future however long the run takes (the skew allowed is 5 min).
        iso(now + 3_600_000),
        iso(now - 8 * 86_400_000),
        "2026-02-30T10:00:00Z",
        "2026-11-26T23:59:60Z",
        "2026-11-26T10:00:00+01:00",
        "0000-01-01T00:00:00Z",
        "yesterday",
      )
      .map((start) => withSample({ start })),
    fc.constant(withSample({ tenantId: "00000000-0000-0000-0000-000000000000" })),
  );

  const boundary = fc.oneof(
    fc.constant(json({ ...valid, samples: [] })),
    fc.constant(
      json({ ...valid, samples: Array.from({ length: maxSamplesPerBatch + 1 }, () => valid.samples[0]) }),
    ),
    fc.constant({ body: " ".repeat(maxBatchBytes + 1) }),
    fc.constant({
      body: gzipSync(Buffer.alloc(maxBatchBytes + 1, 32)),
      headers: { "content-encoding": "gzip" },
    }),
    fc.constant({ body: encodeBatch(valid, { gzip: false }), headers: { "content-encoding": "gzip" } }),
    fc.constant({ body: encodeBatch(valid, { gzip: false }), headers: { "content-encoding": "br" } }),
    fc.constant({ body: encodeBatch(valid, { gzip: false }), headers: { "content-type": "text/plain" } }),
    fc
      .constantFrom("", "Bearer ", "Basic abc", `Bearer mpc_000000000000_${"a".repeat(32)}`)
      .map((authorization) => ({
        body: encodeBatch(valid, { gzip: false }),
        headers: { authorization },
      })),
    // Starts inside the allowed skew and ends past it; two minutes past, so a slow run stays on the boundary's far side.
    fc.constant(withSample({ start: iso(now + 5 * 60_000 - 5_000), seconds: 125 })),
  );

  return fc.oneof(malformed, hostile, boundary);
}

async function post({ body, headers = {} }: Attempt) {
  const response = await fetch(`${web.url}/api/v1/ingest`, {
    method: "POST",
    headers: { authorization: `Bearer ${credential}`, "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : new Uint8Array(body),
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

async function storedRows(): Promise<number> {
  const { rows } = await t.db.pool.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM "SampleBatch") + (SELECT count(*) FROM "BatchKey") AS n`,
  );
  return Number(rows[0]!.n);
}

describe("ingest under fuzzing", () => {
  it("answer every bad batch with a clean 4xx and store nothing", async () => {
    await fc.assert(
      fc.asyncProperty(badAttempts(), async (attempt) => {
        const { status, body } = await post(attempt);
        expect(status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
        expect(status).toBeLessThan(500);
        expect(body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
      }),
      { numRuns: 300 },
    );
    expect(await storedRows()).toBe(0);
  });

  it("accept the valid batch the fuzzing started from, to show the refusals were about the mutations", async () => {
    expect((await post({ body: encodeBatch(valid), headers: { "content-encoding": "gzip" } })).status).toBe(
      202,
    );
  });
});
