import { pipeline } from "node:stream/promises";
import type { Database } from "@meterplane/db";
import { type Batch, dimensionKey, samplesOfSeries } from "@meterplane/wire";
import { from as copyFrom } from "pg-copy-streams";

/** COPY text is made before the clock starts, in chunks of about this many bytes. */
const chunkBytes = 1 << 20;

/**
 * The same samples as rows of a plain table, through COPY in one stream; the best of `runs` runs, each into
 * a new table, since a single run of a fraction of a second varies by a third on this kind of machine.
 * The batches may be made as they are read: the text is kept in buffers outside the heap, since a fleet's
 * steps hold millions of samples.
 */
export async function copyBaseline(
  db: Database,
  fleet: Iterable<{ tenantId: string; batches: Iterable<Batch> }>,
  runs = 3,
): Promise<number> {
  const chunks: Buffer[] = [];
  let rows = 0;
  let text = "";
  for (const { tenantId, batches } of fleet)
    for (const batch of batches)
      for (const s of samplesOfSeries(batch.series)) {
        text += `${tenantId}\t${s.environmentId}\t${s.meter}\t${dimensionKey(s.dimensions)}\t${s.start}\t${s.seconds}\t${s.value}\n`;
        rows += 1;
        if (text.length >= chunkBytes) {
          chunks.push(Buffer.from(text));
          text = "";
        }
      }
  if (text) chunks.push(Buffer.from(text));
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
      await pipeline(chunks.values(), client.query(copyFrom(`COPY ${table} FROM STDIN`)));
      best = Math.max(best, rows / ((performance.now() - started) / 1000));
    } finally {
      client.release();
    }
  }
  return best;
}
