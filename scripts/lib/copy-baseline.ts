import { pipeline } from "node:stream/promises";
import type { Database } from "@meterplane/db";
import { type Batch, dimensionKey, samplesOfSeries } from "@meterplane/wire";
import { from as copyFrom } from "pg-copy-streams";

/**
 * The same samples as rows of a plain table, through COPY in one stream; the best of `runs` runs, each into
 * a new table, since a single run of a fraction of a second varies by a third on this kind of machine.
 */
export async function copyBaseline(
  db: Database,
  fleet: { tenantId: string; batches: Batch[] }[],
  runs = 3,
): Promise<number> {
  const lines: string[] = [];
  for (const { tenantId, batches } of fleet)
    for (const batch of batches)
      for (const s of samplesOfSeries(batch.series))
        lines.push(
          `${tenantId}\t${s.environmentId}\t${s.meter}\t${dimensionKey(s.dimensions)}\t${s.start}\t${s.seconds}\t${s.value}\n`,
        );
  let best = 0;
  for (let run = 1; run <= runs; run++) {
    const table = `bench_copy_${run}`;
    await db.pool.query(
      `CREATE TABLE ${table} ("tenantId" uuid, "environmentId" uuid, meter text, "dimensionKey" text,
         start timestamptz, seconds numeric, value numeric)`,
    );
    const client = await db.pool.connect();
    try {
      const started = performance.now();
      const chunks = (function* () {
        for (let i = 0; i < lines.length; i += 1000) yield lines.slice(i, i + 1000).join("");
      })();
      await pipeline(chunks, client.query(copyFrom(`COPY ${table} FROM STDIN`)));
      best = Math.max(best, lines.length / ((performance.now() - started) / 1000));
    } finally {
      client.release();
    }
  }
  return best;
}
