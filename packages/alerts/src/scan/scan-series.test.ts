import { detectorSettings, seriesStateSchema } from "@meterplane/anomaly";
import { aMeteredTenant, useTestDatabase } from "@meterplane/testing";
import { describe, expect, it } from "vitest";
import { scanSeries } from "./scan-series.ts";
import { scanSilence } from "./scan-silence.ts";

const t = useTestDatabase();
const minute = 60_000;
const hour = 60 * minute;
// A short warm-up so a test needs tens of points, not hundreds: the same code, other constants.
const settings = { ...detectorSettings, warmup: 20 };

/** Folds samples into their hour's rollup the way aggregation does (sum and count grow, lastAt moves). */
async function fold(key: { tenantId: string; environmentId: string }, at: number, values: number[]) {
  const sum = values.reduce((a, b) => a + b, 0);
  await t.db.pool.query(
    `INSERT INTO "UsageHourly" ("tenantId", "environmentId", meter, "dimensionKey", "bucketStart", sum, count,
                                min, max, last, "lastAt", integral, seconds)
     VALUES ($1, $2, 'cpu', '', $3, $4::numeric, $5::bigint, 0, 0, 0, $6, $4::numeric, $5::numeric)
     ON CONFLICT ("tenantId", "environmentId", meter, "dimensionKey", "bucketStart") DO UPDATE SET
       sum = "UsageHourly".sum + EXCLUDED.sum, count = "UsageHourly".count + EXCLUDED.count,
       "lastAt" = EXCLUDED."lastAt", "updatedAt" = now()`,
    [
      key.tenantId,
      key.environmentId,
      new Date(Math.floor(at / hour) * hour),
      sum,
      values.length,
      new Date(at),
    ],
  );
}

let seed = 7;
/** Uniform in [0, 1), seeded: the same noise on every run. */
const noise = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};

/** A CPU of about `level` with some noise, one scan a minute from `start`, for `minutes` minutes. */
async function run(
  key: { tenantId: string; environmentId: string },
  start: number,
  minutes: number,
  level: (i: number) => number,
) {
  const found = [];
  for (let i = 0; i < minutes; i++) {
    const at = start + i * minute;
    await fold(
      key,
      at,
      [0, 1, 2, 3, 4, 5].map(() => level(i) + 0.2 * (noise() - 0.5)),
    );
    found.push(await scanSeries({ db: t.db, now: new Date(at + 1000), settings }));
  }
  return found;
}

async function seriesRow(environmentId: string) {
  return t.db.prisma.anomalySeries.findFirstOrThrow({ where: { environmentId } });
}

describe("scanning series for anomalies", () => {
  it("scores what each hourly rollup gained since the last scan, keeps the state in Postgres, and alerts once on a jump", async () => {
    const { tenant, environment } = await aMeteredTenant(t.db);
    const key = { tenantId: tenant.id, environmentId: environment.id };
    const start = Date.UTC(2026, 11, 1, 10, 30);
    const steady = await run(key, start, 60, () => 1);
    expect(steady.reduce((n, s) => n + s.anomalies, 0)).toBe(0);
    // Every scan is a fresh call: the detector's state comes back from its row each time.
    expect(seriesStateSchema.parse((await seriesRow(environment.id)).state).n).toBe(60);

    const jumped = await run(key, start + 60 * minute, 10, () => 4);
    expect(jumped.reduce((n, s) => n + s.anomalies, 0)).toBe(1);
    const [anomaly] = await t.db.prisma.anomaly.findMany({ where: { environmentId: environment.id } });
    expect(["spike", "level_shift"]).toContain(anomaly!.kind);
    expect(anomaly!.score).toBeGreaterThanOrEqual(0.5);
    expect(anomaly!.value).toBeCloseTo(4, 1);
    expect(anomaly!.windowStart.getTime()).toBe(start + 59 * minute);
    expect(anomaly!.windowEnd.getTime()).toBeGreaterThan(start + 60 * minute);

    // Nothing new folded: nothing scored again.
    const again = await scanSeries({ db: t.db, now: new Date(start + 71 * minute), settings });
    expect(again.points).toBe(0);
    expect(seriesStateSchema.parse((await seriesRow(environment.id)).state).n).toBe(70);
  });

  it("raises one silence per episode from the series' own interval, and a point ends the episode", async () => {
    const { tenant, environment } = await aMeteredTenant(t.db);
    const key = { tenantId: tenant.id, environmentId: environment.id };
    const start = Date.UTC(2026, 11, 2, 10, 0);
    await run(key, start, 30, () => 2);
    const last = start + 29 * minute;
    // The file's other series went silent long before: count this environment's alone.
    const silences = () =>
      t.db.prisma.anomaly.count({ where: { environmentId: environment.id, kind: "silence" } });
    await scanSilence({ db: t.db, now: new Date(last + 2 * minute) });
    expect(await silences()).toBe(0);
    await scanSilence({ db: t.db, now: new Date(last + 5 * minute) });
    expect(await silences()).toBe(1);
    await scanSilence({ db: t.db, now: new Date(last + 20 * minute) });
    expect(await silences()).toBe(1);
    const silence = await t.db.prisma.anomaly.findFirstOrThrow({ where: { environmentId: environment.id } });
    expect(silence.kind).toBe("silence");
    expect(silence.windowStart.getTime()).toBe(last);

    await run(key, last + 21 * minute, 1, () => 2);
    expect((await seriesRow(environment.id)).silentSince).toBeNull();
  });

  it("judges silence only as far as aggregation has got: samples waiting in the pipeline are not silence", async () => {
    const { tenant, environment, host } = await aMeteredTenant(t.db);
    const key = { tenantId: tenant.id, environmentId: environment.id };
    const start = Date.UTC(2026, 11, 4, 10, 0);
    await run(key, start, 30, () => 2);
    const last = start + 29 * minute;
    // A batch received a minute after the last point, not yet aggregated (the worker was down).
    await t.db.pool.query(
      `INSERT INTO "SampleBatch" ("receivedAt", "hostId", sequence, "sampleCount", "tenantIds", body)
       VALUES ($1, $2, 1, 0, $3, '')`,
      [new Date(last + minute), host.id, [tenant.id]],
    );
    const silences = () => t.db.prisma.anomaly.count({ where: { environmentId: environment.id } });
    await scanSilence({ db: t.db, now: new Date(last + 20 * minute) });
    expect(await silences()).toBe(0);
    await t.db.pool.query(`UPDATE "SampleBatch" SET "aggregatedAt" = $1 WHERE "hostId" = $2`, [
      new Date(last + 20 * minute),
      host.id,
    ]);
    await scanSilence({ db: t.db, now: new Date(last + 20 * minute) });
    expect(await silences()).toBe(1);
  });

  it("scores each point once when two workers scan the same series at once, chunk by chunk", async () => {
    const { tenant, environment } = await aMeteredTenant(t.db);
    const dimensionKeys = Array.from({ length: 1200 }, (_, i) => `core=${i}`); // several chunks
    const start = Date.UTC(2026, 11, 5, 10, 0);
    for (let i = 0; i < 3; i++) {
      const at = start + i * minute;
      await t.db.pool.query(
        `INSERT INTO "UsageHourly" ("tenantId", "environmentId", meter, "dimensionKey", "bucketStart", sum, count,
                                    min, max, last, "lastAt", integral, seconds)
         SELECT $1, $2, 'cpu', d, $3, 6 * (2 + $5::int), 6, 0, 0, 0, $4, 0, 60 FROM unnest($6::text[]) d
         ON CONFLICT ("tenantId", "environmentId", meter, "dimensionKey", "bucketStart") DO UPDATE SET
           sum = "UsageHourly".sum + EXCLUDED.sum, count = "UsageHourly".count + EXCLUDED.count,
           "lastAt" = EXCLUDED."lastAt"`,
        [tenant.id, environment.id, new Date(start), new Date(at), i, dimensionKeys],
      );
      const now = new Date(at + 1000);
      const [a, b] = await Promise.all([
        scanSeries({ db: t.db, now, settings }),
        scanSeries({ db: t.db, now, settings }),
      ]);
      expect(a.points + b.points).toBe(dimensionKeys.length);
    }
    const states = await t.db.prisma.anomalySeries.findMany({ where: { environmentId: environment.id } });
    expect(states).toHaveLength(dimensionKeys.length);
    expect(states.every((s) => seriesStateSchema.parse(s.state).n === 3 && s.markCount === 18n)).toBe(true);
  });

  it("reads the grown hours a page at a time, scoring a series whose hours cross a page in order", async () => {
    const { tenant, environment } = await aMeteredTenant(t.db);
    const now = Date.UTC(2026, 11, 5, 12, 30);
    const dimensionKeys = ["core=0", "core=1", "core=2", "core=3", "core=4"];
    // Three hours of each series (the scan's first look goes two hours back): 15 rows, read 4 at a time.
    for (const [i, hourStart] of [now - 2 * hour, now - hour, now]
      .map((at) => Math.floor(at / hour) * hour)
      .entries())
      await t.db.pool.query(
        `INSERT INTO "UsageHourly" ("tenantId", "environmentId", meter, "dimensionKey", "bucketStart", sum, count,
                                    min, max, last, "lastAt", integral, seconds)
         SELECT $1, $2, 'cpu', d, $3, 6 * (1 + $5::int), 6, 0, 0, 0, $4, 0, 60 FROM unnest($6::text[]) d`,
        [tenant.id, environment.id, new Date(hourStart), new Date(hourStart + 10 * minute), i, dimensionKeys],
      );

    const scan = await scanSeries({ db: t.db, now: new Date(now), settings, pageRows: 4 });

    expect(scan).toMatchObject({ series: 5, points: 15 });
    const states = await t.db.prisma.anomalySeries.findMany({ where: { environmentId: environment.id } });
    expect(states.map((s) => s.dimensionKey).sort()).toEqual(dimensionKeys);
    for (const s of states) {
      const state = seriesStateSchema.parse(s.state);
      // Each series' three points in time order: the last is the latest hour's, at a mean of 3.
      expect({ n: state.n, last: state.last, markHour: s.markHour }).toEqual({
        n: 3,
        last: 3,
        markHour: new Date(Math.floor(now / hour) * hour),
      });
    }
  });

  it("keeps scoring a muted series but raises nothing for it", async () => {
    const { tenant, environment } = await aMeteredTenant(t.db);
    const key = { tenantId: tenant.id, environmentId: environment.id };
    const start = Date.UTC(2026, 11, 3, 10, 0);
    await run(key, start, 40, () => 1);
    await t.db.prisma.anomalySeries.updateMany({ where: key, data: { mutedAt: new Date() } });

    // The same jump that alerts an unmuted series (above).
    await run(key, start + 40 * minute, 10, () => 4);
    expect(await t.db.prisma.anomaly.count({ where: { environmentId: environment.id } })).toBe(0);
    expect(seriesStateSchema.parse((await seriesRow(environment.id)).state).n).toBe(50);
  });
});
