import { gzipSync } from "node:zlib";
import {
  aMeteredTenant,
  type RunningProcess,
  serviceEnv,
  startWeb,
  useTestDatabase,
} from "@meterplane/testing";
import { encodeBatch, simulatedBatches } from "@meterplane/usage/test";
import {
  type Batch,
  type FlatBatch,
  maxBatchBytes,
  maxSamplesPerBatch,
  type Series,
  samplesOfSeries,
} from "@meterplane/wire";
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
/** Three series of one point each; and three series of `longPoints` points each, to hide a bad point in. */
let valid: Batch;
let long: Batch;
const longPoints = 300;
/** `valid`'s samples as a collector before 0.2.0 sends them. */
let flat: FlatBatch;
let foreignEnvironmentId: string;

beforeAll(async () => {
  web = await startWeb(serviceEnv(t));
  const mine = await aMeteredTenant(t.db);
  foreignEnvironmentId = (await aMeteredTenant(t.db)).environment.id;
  credential = mine.credential;
  const from = new Date(Date.now() - 3600_000);
  [valid] = simulatedBatches({ environmentIds: [mine.environment.id], batches: 1, from }) as [Batch];
  [long] = simulatedBatches({
    environmentIds: [mine.environment.id],
    batches: 1,
    stepsPerBatch: longPoints,
    from,
  }) as [Batch];
  flat = { sequence: valid.sequence, collectorVersion: "0.1.0", samples: samplesOfSeries(valid.series) };
});

afterAll(async () => {
  await web?.stop();
});

interface Attempt {
  body: Uint8Array | string;
  headers?: Record<string, string>;
}

/** An object whose own key is `key`, even `__proto__` (which a literal would take as the prototype). */
const own = (key: string, value: unknown): Record<string, unknown> => ({ [key]: value });

/** `count` points at one valid instant, spread over `series` copies of `valid`'s first series. */
function pointsOver(series: number, count: number, sequence = valid.sequence): Attempt {
  const [head] = valid.series as [Series];
  const each = Math.ceil(count / series);
  return {
    body: JSON.stringify({
      ...valid,
      sequence,
      series: Array.from({ length: series }, (_, s) => {
        const points = Math.min(each, count - s * each);
        return {
          ...head,
          starts: Array(points).fill(head.starts[0]),
          seconds: Array(points).fill(head.seconds[0]),
          values: Array(points).fill(head.values[0]),
        };
      }),
    }),
  };
}

/** Built once `valid` exists: every arbitrary starts from a good batch and breaks one thing. */
function badAttempts(): fc.Arbitrary<Attempt> {
  const json = (value: unknown): Attempt => ({ body: JSON.stringify(value) });
  const validJson = JSON.stringify(valid);
  /** `valid` with its series `index` (the dimensioned one by default) patched. */
  const withSeries = (patch: Record<string, unknown>, index = 2): Attempt =>
    json({ ...valid, series: valid.series.map((one, i) => (i === index ? { ...one, ...patch } : one)) });
  /** `long` with one point of its second series broken: any of its points, first, middle or last. */
  const withPoint = (patch: { starts?: unknown; seconds?: unknown; values?: unknown }) =>
    fc.integer({ min: 0, max: longPoints - 1 }).map((at) =>
      json({
        ...long,
        series: long.series.map((one, i) => {
          if (i !== 1) return one;
          const broken: Record<string, unknown[]> = {
            starts: [...one.starts],
            seconds: [...one.seconds],
            values: [...one.values],
          };
          for (const [field, value] of Object.entries(patch)) broken[field]![at] = value;
          return { ...one, ...broken };
        }),
      }),
    );
  const withSample = (patch: Record<string, unknown>): Attempt =>
    json({ ...flat, samples: [{ ...flat.samples[0], ...patch }, ...flat.samples.slice(1)] });
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const badValues = [
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
    1.5,
    null,
  ];
  const badSeconds = [0, -1, 3600.0001, 1e308, "10", null];
  const badStarts = [
    // Far enough ahead to stay in the future however long the run takes (the skew allowed is 5 min).
    iso(now + 3_600_000),
    iso(now - 8 * 86_400_000),
    "2026-02-30T10:00:00Z",
    "2026-11-26T23:59:60Z",
    "2026-11-26T10:00:00+01:00",
    "0000-01-01T00:00:00Z",
    "yesterday",
    now,
    null,
  ];
  const badMeters = ["cpu ", "gpu", "__proto__", "", null];
  const badEnvironmentIds = ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "\u0000"];
  const badDimensions = [
    { kind: "socket" },
    { direction: "sideways" },
    { channel: "\u0000" },
    { ["x".repeat(100)]: "y" },
    own("__proto__", { channel: "network" }),
    own("__proto__", "network"),
    "channel=network",
    ["network"],
  ];

  const malformed = fc.oneof(
    fc.string().map((body) => ({ body })),
    fc.uint8Array({ maxLength: 2000 }).map((body) => ({ body })),
    fc.jsonValue().map(json),
    fc.constant({ body: `${"[".repeat(100_000)}${"]".repeat(100_000)}` }),
    fc.constant({ body: '{"sequence": 1, "series": [' }),
    fc.integer({ min: 1, max: validJson.length - 1 }).map((end) => ({ body: validJson.slice(0, end) })),
  );

  // The series form, as collectors from 0.2.0 send it.
  const hostile = fc.oneof(
    fc.constant({ body: `{"__proto__":{"admin":true},${validJson.slice(1)}` }),
    fc.constant(json({ ...valid, constructor: { prototype: {} } })),
    fc.constant(json({ ...valid, extra: 1 })),
    // Both forms at once, each valid on its own.
    fc.constant(json({ ...valid, samples: flat.samples })),
    // A repeated key: JSON.parse keeps the last, which must be judged, not the first.
    fc.constant({ body: `${validJson.slice(0, -1)},"series":[]}` }),
    fc.constant({ body: validJson.replace(/"values":(\[[^\]]*\])/, '"values":$1,"values":["-1"]') }),
    fc.constant({ body: validJson.replace(/"starts":(\[[^\]]*\])/, '"starts":$1,"starts":["yesterday"]') }),
    fc.constant({
      body: validJson.replace(/"dimensions":\{([^}]*)\}/, '"dimensions":{$1,"channel":"bogus"}'),
    }),
    fc.constantFrom(-1, 1.5, 2 ** 53, 1e308, "1").map((sequence) => json({ ...valid, sequence })),
    fc.constantFrom(...badValues).chain((value) => withPoint({ values: value })),
    fc.constantFrom(...badSeconds).chain((seconds) => withPoint({ seconds })),
    fc.constantFrom(...badStarts).chain((start) => withPoint({ starts: start })),
    fc.constantFrom(...badMeters).map((meter) => withSeries({ meter })),
    fc.constantFrom(...badEnvironmentIds).map((environmentId) => withSeries({ environmentId })),
    fc.constant(null).map(() => withSeries({ environmentId: foreignEnvironmentId }, 1)),
    fc.constantFrom(...badDimensions).map((dimensions) => withSeries({ dimensions })),
    fc.constant(withSeries({ dimensions: { channel: "network" } }, 0)),
    fc.constant(withSeries({ tenantId: "00000000-0000-0000-0000-000000000000" })),
    fc.constant(withSeries({ start: valid.series[2]!.starts[0] })),
    fc.constant(withSeries(own("__proto__", { meter: "cpu" }))),
  );

  const malformedSeries = fc.oneof(
    // Unequal lengths: one array a point short or a point long.
    fc.constantFrom("starts", "seconds", "values" as const).chain((field) => {
      const points: unknown[] = valid.series[2]![field];
      return fc.constantFrom(withSeries({ [field]: [] }), withSeries({ [field]: [...points, ...points] }));
    }),
    fc.constant(withSeries({ starts: [], seconds: [], values: [] })),
    fc.constantFrom("starts", "seconds", "values").map((field) => withSeries({ [field]: undefined })),
    fc
      .constantFrom("2026-11-26T10:00:00Z", { 0: "2026-11-26T10:00:00Z", length: 1 }, null, 10, true)
      .map((starts) => withSeries({ starts })),
    fc.constantFrom({ 0: "1.5", length: 1 }, "1.5").map((values) => withSeries({ values })),
    fc.constantFrom({}, null, valid.series[0], "cpu").map((series) => json({ ...valid, series })),
    fc
      .constantFrom(null, [], {}, "series", 1)
      .map((one) => json({ ...valid, series: [...valid.series, one] })),
    fc.constant(json({ ...valid, series: [] })),
    fc.constant(json({ sequence: valid.sequence, collectorVersion: valid.collectorVersion })),
  );

  const boundary = fc.oneof(
    // One point too many: in one series, and spread over several (each series fine on its own).
    fc.constantFrom(1, 2, 7, 10_001).map((series) => pointsOver(series, maxSamplesPerBatch + 1)),
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
    fc.constant(withSeries({ starts: [iso(now + 5 * 60_000 - 5_000)], seconds: [125] })),
  );

  // The flat form, as collectors before 0.2.0 send it (and as their spooled batches are resent).
  const flatForm = fc.oneof(
    fc.constant(json({ ...flat, samples: [] })),
    fc.constant(
      json({ ...flat, samples: Array.from({ length: maxSamplesPerBatch + 1 }, () => flat.samples[0]) }),
    ),
    fc.constant(json({ ...flat, extra: 1 })),
    fc.constantFrom(...badValues).map((value) => withSample({ value })),
    fc.constantFrom(...badSeconds).map((seconds) => withSample({ seconds })),
    fc.constantFrom(...badStarts).map((start) => withSample({ start })),
    fc.constantFrom(...badMeters).map((meter) => withSample({ meter })),
    fc.constantFrom(...badEnvironmentIds).map((environmentId) => withSample({ environmentId })),
    fc.constant(null).map(() => withSample({ environmentId: foreignEnvironmentId })),
    fc
      .constantFrom(...badDimensions)
      .map((dimensions) => withSample({ meter: "data_throughput", dimensions })),
    fc.constant(withSample({ tenantId: "00000000-0000-0000-0000-000000000000" })),
    fc.constant(withSample({ starts: [flat.samples[0]!.start] })),
    fc.constant(withSample({ start: iso(now + 5 * 60_000 - 5_000), seconds: 125 })),
  );

  return fc.oneof(malformed, hostile, malformedSeries, boundary, flatForm);
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
      { numRuns: 400 },
    );
    expect(await storedRows()).toBe(0);
  });

  it("accept the valid batches the fuzzing started from, in both forms, to show the refusals were about the mutations", async () => {
    const gzip = { "content-encoding": "gzip" };
    expect((await post({ body: encodeBatch(valid), headers: gzip })).body).toMatchObject({
      status: "accepted",
    });
    // The same samples in the flat form under the same sequence are a replay, whichever form came first.
    expect((await post({ body: encodeBatch(flat), headers: gzip })).body).toMatchObject({
      status: "duplicate",
    });
    const sent = encodeBatch({ ...flat, sequence: 2 });
    expect((await post({ body: sent, headers: gzip })).body).toMatchObject({ status: "accepted" });
    const { rows } = await t.db.pool.query<{ body: Buffer }>(
      `SELECT body FROM "SampleBatch" WHERE sequence = 2`,
    );
    expect(rows.map((row) => row.body)).toEqual([sent]);
    const longer = encodeBatch({ ...long, sequence: 3 });
    expect((await post({ body: longer, headers: gzip })).body).toMatchObject({ status: "accepted" });
  });

  it("accept exactly the most points a batch may hold, over several series", async () => {
    const { status, body } = await post(pointsOver(3, maxSamplesPerBatch, 4));
    expect(status, JSON.stringify(body)).toBe(202);
  });
});
