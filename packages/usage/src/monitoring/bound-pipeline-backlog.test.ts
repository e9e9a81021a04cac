import { aMeteredTenant, useTestDatabase } from "@meterplane/testing";
import { seriesOfSamples } from "@meterplane/wire";
import { describe, expect, it } from "vitest";
import { aggregateBatches } from "../aggregation/aggregate-batches.ts";
import { acceptBatch } from "../ingest/accept-batch.ts";
import { boundPipelineBacklog } from "./bound-pipeline-backlog.ts";
import { getPipelineBacklog } from "./get-pipeline-backlog.ts";

const t = useTestDatabase();

/** `count` one-sample batches of one host, stored one after another. */
async function storeBatches(count: number) {
  const { host, environment } = await aMeteredTenant(t.db);
  const start = new Date(Math.floor(Date.now() / 3600_000) * 3600_000 - 3600_000).toISOString();
  const refs = [];
  for (let sequence = 1; sequence <= count; sequence++)
    refs.push(
      await acceptBatch({
        db: t.db,
        hostId: host.id,
        batch: {
          sequence,
          collectorVersion: "0.2.0",
          series: seriesOfSamples([
            { environmentId: environment.id, meter: "cpu", start, seconds: 10, value: "1" },
          ]),
        },
      }),
    );
  return refs;
}

describe("the backlog ingest pushes back on", () => {
  it("is every batch stored since the oldest waiting one, and the exact count once that reaches the limit", async () => {
    const refs = await storeBatches(10);
    expect(await boundPipelineBacklog({ db: t.db, limit: 100 })).toBe(10);
    expect(await boundPipelineBacklog({ db: t.db, limit: 4 })).toBe(4);

    // The oldest waits while the rest are aggregated: the bound still spans them all, the count does not.
    await aggregateBatches({ db: t.db, batches: refs.slice(1) });
    expect((await getPipelineBacklog({ db: t.db })).batches).toBe(1);
    expect(await boundPipelineBacklog({ db: t.db, limit: 100 })).toBe(10);
    expect(await boundPipelineBacklog({ db: t.db, limit: 4 })).toBe(1);

    await aggregateBatches({ db: t.db, batches: refs.slice(0, 1) });
    expect(await boundPipelineBacklog({ db: t.db, limit: 100 })).toBe(0);
  });
});
