import { randomUUID } from "node:crypto";
import { aHost, anEnvironment, aTenant, redisUrl, useTestDatabase } from "@meterplane/testing";
import { acceptBatch, aggregateBatches } from "@meterplane/usage";
import {
  type Batch,
  batchOfFlat,
  type FlatBatch,
  type Sample,
  samplesOf,
  storedBatchBody,
} from "@meterplane/wire";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "./cursors/page-cursor.ts";
import { etagOf, ifNoneMatchHits } from "./etags/etag.ts";
import { limitRequest } from "./rate-limits/limit-request.ts";
import { streamSamples } from "./samples/stream-samples.ts";
import { listUsageRollups } from "./usage/list-usage-rollups.ts";

const t = useTestDatabase();
const redis = new Redis(redisUrl());
afterAll(() => redis.quit());
const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000;

/** Two tenants' environments on one host, five samples each, in one stored batch (two series each). */
async function sharedHost() {
  const { host } = await aHost(t.db);
  const mine = await anEnvironment(t.db, { tenantId: (await aTenant(t.db)).id, hostId: host.id });
  const theirs = await anEnvironment(t.db, { tenantId: (await aTenant(t.db)).id, hostId: host.id });
  const samples = [mine, theirs].flatMap((environment) =>
    Array.from({ length: 5 }, (_, i) => ({
      environmentId: environment.id,
      meter: "data_throughput" as const,
      start: new Date(hour + i * 60_000).toISOString(),
      seconds: 60,
      value: `${i}.5`,
      dimensions: { direction: i % 2 ? "sent" : "received", channel: "network" },
    })),
  );
  const batch = await acceptBatch({
    db: t.db,
    hostId: host.id,
    batch: batchOfFlat({ sequence: 1, collectorVersion: "0.2.0", samples }),
  });
  return { mine, theirs, batch };
}

/** Stores batches, in either wire form, as this host's received now, holding samples of this tenant only. */
async function storeBatches(hostId: string, tenantId: string, batches: (Batch | FlatBatch)[]) {
  await t.db.pool.query(
    `INSERT INTO "SampleBatch" ("receivedAt", "hostId", sequence, "sampleCount", "tenantIds", body)
     SELECT now(), $1, sequence, "sampleCount", ARRAY[$2::uuid], body
       FROM unnest($3::bigint[], $4::int[], $5::bytea[]) AS b(sequence, "sampleCount", body)`,
    [
      hostId,
      tenantId,
      batches.map((batch) => batch.sequence),
      batches.map((batch) => samplesOf(batch).length),
      batches.map((batch) => storedBatchBody(batch)),
    ],
  );
}

async function aggregatedSharedHost() {
  const { batch, ...environments } = await sharedHost();
  await aggregateBatches({ db: t.db, batches: [batch] });
  return environments;
}

const text = (stream: ReadableStream<Uint8Array>) => new Response(stream).text();
const range = { from: new Date(hour), to: new Date(hour + 3_600_000) };

describe("sample exports", () => {
  it("stream a tenant's samples only, as NDJSON or CSV, out of batches shared with another tenant", async () => {
    const { mine } = await sharedHost();
    const ndjson = await text(
      streamSamples({ db: t.db, tenantId: mine.tenantId, ...range, format: "ndjson" }),
    );
    const lines = ndjson
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(5);
    expect(lines).toContainEqual({
      tenantId: mine.tenantId,
      environmentId: mine.id,
      meter: "data_throughput",
      start: new Date(hour + 60_000).toISOString(),
      seconds: 60,
      value: "1.5",
      dimensions: { channel: "network", direction: "sent" },
    });
    const csv = (
      await text(streamSamples({ db: t.db, tenantId: mine.tenantId, ...range, format: "csv" }))
    ).split("\n");
    expect(csv[0]).toBe("tenantId,environmentId,meter,start,seconds,value,dimensions");
    expect(csv[1]).toBe(
      `${mine.tenantId},${mine.id},data_throughput,${new Date(hour).toISOString()},60,0.5,"{""channel"": ""network"", ""direction"": ""received""}"`,
    );
  });

  it("give the connection back when the client stops reading mid-stream", async () => {
    const { mine } = await sharedHost();
    const stream = streamSamples({ db: t.db, tenantId: null, ...range, format: "ndjson" });
    const reader = stream.getReader();
    await reader.read();
    await reader.cancel();
    expect(t.db.pool.totalCount - t.db.pool.idleCount).toBe(0);
    expect(
      await text(streamSamples({ db: t.db, tenantId: mine.tenantId, ...range, format: "ndjson" })),
    ).toContain(mine.id);
  });

  it("keep to the asked environment and meter, and to samples starting in [from, to)", async () => {
    const { mine, theirs } = await sharedHost();
    const export_ = (query: { environmentId?: string; meter?: string; from: Date; to: Date }) =>
      text(streamSamples({ db: t.db, tenantId: mine.tenantId, format: "ndjson", ...query }));
    const narrowed = await export_({
      environmentId: mine.id,
      meter: "data_throughput",
      from: new Date(hour + 60_000),
      to: new Date(hour + 180_000),
    });
    // Two series, read series by series: the received one (hour + 120 s) first.
    expect(narrowed.split("\n").map((line) => line && JSON.parse(line).start)).toEqual([
      new Date(hour + 120_000).toISOString(),
      new Date(hour + 60_000).toISOString(),
      "",
    ]);
    expect(await export_({ environmentId: theirs.id, ...range })).toBe("");
    expect(await export_({ meter: "cpu", ...range })).toBe("");
  });

  it("read the next page of batches only when the client has taken the previous one, holding no connection meanwhile", async () => {
    const { host } = await aHost(t.db);
    const environment = await anEnvironment(t.db, { tenantId: (await aTenant(t.db)).id, hostId: host.id });
    // 2,000 batches of 100 samples (~40 MB of NDJSON): several pages of batches, hundreds of chunks.
    const batches = Array.from({ length: 2000 }, (_, i) =>
      batchOfFlat({
        sequence: i + 1,
        collectorVersion: "0.2.0",
        samples: Array.from({ length: 100 }, (_, j) => ({
          environmentId: environment.id,
          meter: "cpu" as const,
          start: new Date(hour + j * 10_000).toISOString(),
          seconds: 10,
          value: "1.5",
        })),
      }),
    );
    await storeBatches(host.id, environment.tenantId, batches);
    let queries = 0;
    const countQuery = () => queries++;
    t.db.pool.on("acquire", countQuery);
    try {
      const reader = streamSamples({
        db: t.db,
        tenantId: environment.tenantId,
        ...range,
        format: "ndjson",
      }).getReader();
      let lines = 0;
      const readChunk = async () => {
        const { done, value } = await reader.read();
        for (let i = value?.indexOf(10) ?? -1; i !== -1; i = value?.indexOf(10, i + 1) ?? -1) lines++;
        return done;
      };
      await readChunk();
      await new Promise((resolve) => setTimeout(resolve, 500));
      // The environment's tenant and the first page: nothing more until the client reads on.
      expect(queries).toBe(2);
      expect(t.db.pool.totalCount - t.db.pool.idleCount).toBe(0);
      while (!(await readChunk()));
      expect(lines).toBe(200_000);
      expect(queries).toBeGreaterThan(4);
    } finally {
      t.db.pool.off("acquire", countQuery);
    }
  });

  it("read a batch stored flat, as collectors before 0.2.0 sent it, as the same samples as one stored as series", async () => {
    const { host } = await aHost(t.db);
    const tenant = await aTenant(t.db);
    const old = await anEnvironment(t.db, { tenantId: tenant.id, hostId: host.id });
    const current = await anEnvironment(t.db, { tenantId: tenant.id, hostId: host.id });
    // Interleaved series, one start without milliseconds: the export writes every start in one ISO form.
    const samples = (environmentId: string): Sample[] => [
      {
        environmentId,
        meter: "cpu",
        start: new Date(hour).toISOString().replace(".000Z", "Z"),
        seconds: 10,
        value: "0.25",
      },
      {
        environmentId,
        meter: "open_resources",
        start: new Date(hour).toISOString(),
        seconds: 10,
        value: "7",
        dimensions: { kind: "socket" },
      },
      {
        environmentId,
        meter: "cpu",
        start: new Date(hour + 10_000).toISOString(),
        seconds: 10,
        value: "0.5",
      },
      {
        environmentId,
        meter: "open_resources",
        start: new Date(hour + 10_000).toISOString(),
        seconds: 10,
        value: "9",
        dimensions: { kind: "socket" },
      },
    ];
    const flat: FlatBatch = { sequence: 1, collectorVersion: "0.1.0", samples: samples(old.id) };
    const series = batchOfFlat({ sequence: 2, collectorVersion: "0.2.0", samples: samples(current.id) });
    await storeBatches(host.id, tenant.id, [flat, series]);
    const exported = async (environmentId: string) =>
      (
        await text(
          streamSamples({ db: t.db, tenantId: tenant.id, environmentId, ...range, format: "ndjson" }),
        )
      )
        .trim()
        .split("\n")
        .map((line) => {
          const { environmentId: _, ...sample } = JSON.parse(line);
          return sample;
        });

    const fromFlat = await exported(old.id);
    expect(fromFlat).toHaveLength(4);
    expect(fromFlat[0]).toEqual({
      tenantId: tenant.id,
      meter: "cpu",
      start: new Date(hour).toISOString(),
      seconds: 10,
      value: "0.25",
      dimensions: {},
    });
    // A flat batch keeps its order, a series batch reads series by series: the same samples either way.
    const fromSeries = await exported(current.id);
    const byLine = (a: object, b: object) => JSON.stringify(a).localeCompare(JSON.stringify(b));
    expect(fromSeries.sort(byLine)).toEqual(fromFlat.sort(byLine));
  });
});

describe("usage rollups", () => {
  it("filter by dimensions and page with cursors, without repeating or skipping a rollup", async () => {
    const { mine } = await aggregatedSharedHost();
    const sent = await listUsageRollups({
      db: t.db,
      tenantId: mine.tenantId,
      granularity: "hour",
      dimensions: { direction: "sent" },
      ...range,
      limit: 10,
    });
    expect(sent.data.map((r) => [r.dimensions.direction, r.sum])).toEqual([["sent", "5.000000000000"]]);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listUsageRollups({
        db: t.db,
        tenantId: null,
        granularity: "month",
        from: new Date(Math.floor(hour / 86_400_000) * 86_400_000),
        to: new Date(hour + 86_400_000),
        limit: 1,
        cursor,
      });
      seen.push(...page.data.map((r) => `${r.environmentId}/${r.dimensionKey}`));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(4);
  });

  it("return whole buckets that overlap the range, even when it starts or ends inside one", async () => {
    const { mine } = await aggregatedSharedHost();
    // One hour inside the day, starting after the day's bucket: the day and its month still overlap it.
    const inside = { from: new Date(hour + 600_000), to: new Date(hour + 1_200_000) };
    for (const granularity of ["hour", "day", "month"] as const) {
      const page = await listUsageRollups({
        db: t.db,
        tenantId: mine.tenantId,
        granularity,
        ...inside,
        limit: 10,
      });
      const total = page.data.reduce((sum, r) => sum + Number(r.sum), 0);
      expect(total, granularity).toBe(0.5 + 1.5 + 2.5 + 3.5 + 4.5);
    }
  });
});

describe("request plumbing", () => {
  it("rate-limits per key in a window shared through Redis", async () => {
    const subject = randomUUID();
    const first = await limitRequest({ redis, subject, limit: 2, windowSeconds: 30 });
    expect(first).toMatchObject({ limit: 2, remaining: 1 });
    await limitRequest({ redis, subject, limit: 2, windowSeconds: 30 });
    await expect(limitRequest({ redis, subject, limit: 2, windowSeconds: 30 })).rejects.toMatchObject({
      code: "RATE_LIMITED",
      details: { remaining: 0 },
    });
    expect((await limitRequest({ redis, subject: randomUUID(), limit: 2 })).remaining).toBe(1);
  });

  it("rejects cursors it did not issue and matches ETags weakly", () => {
    const id = "6c1c7afc-37f5-4f60-9787-90b7d3a1f379";
    expect(decodeCursor(encodeCursor(["a", id]), ["text", "uuid"])).toEqual(["a", id]);
    expect(() => decodeCursor("bogus", ["text", "uuid"])).toThrow(/cursor/);
    expect(() => decodeCursor(encodeCursor(["a"]), ["text", "uuid"])).toThrow(/cursor/);
    // Tampered keys never reach SQL: a non-uuid id, a date that is not one, a non-integer position.
    expect(() => decodeCursor(encodeCursor(["not-a-uuid"]), ["uuid"])).toThrow(/cursor/);
    expect(() => decodeCursor(encodeCursor(["9999-99-99T00:00:00Z", id]), ["instant", "uuid"])).toThrow(
      /cursor/,
    );
    expect(() => decodeCursor(encodeCursor(["1e9", id]), ["int", "uuid"])).toThrow(/cursor/);
    const etag = etagOf("{}");
    expect(ifNoneMatchHits(`W/${etag}, "other"`, etag)).toBe(true);
    expect(ifNoneMatchHits('"other"', etag)).toBe(false);
  });
});
