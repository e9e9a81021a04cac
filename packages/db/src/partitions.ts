import type pg from "pg";

const dayMs = 86_400_000;

function dayStart(at: Date): Date {
  return new Date(Math.floor(at.getTime() / dayMs) * dayMs);
}

function partitionName(day: Date): string {
  return `SampleBatch_${day.toISOString().slice(0, 10).replaceAll("-", "")}`;
}

/**
 * Makes sure a daily partition of "SampleBatch" exists for every UTC day in [from, from + days).
 * Idempotent and safe to run concurrently from every web and worker process.
 */
export async function ensureSamplePartitions(
  pool: pg.Pool,
  from: Date = new Date(),
  days = 3,
): Promise<void> {
  for (let i = 0; i < days; i++) {
    const start = new Date(dayStart(from).getTime() + i * dayMs);
    const end = new Date(start.getTime() + dayMs);
    try {
      await pool.query(
        `CREATE TABLE IF NOT EXISTS "${partitionName(start)}" PARTITION OF "SampleBatch"
         FOR VALUES FROM ('${start.toISOString()}') TO ('${end.toISOString()}')`,
      );
    } catch (error) {
      // Two processes racing to create the same partition: the loser's error means it exists.
      const code = (error as { code?: string }).code;
      if (code !== "42P07" && code !== "23505") throw error;
    }
  }
}

/**
 * Drops the daily partitions wholly older than `before`. A partition that still holds an unaggregated batch
 * is kept, so retention never destroys usage that was acknowledged but not yet counted.
 */
export async function dropSamplePartitionsBefore(
  pool: pg.Pool,
  before: Date,
): Promise<{ dropped: string[]; kept: string[] }> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
      WHERE p.relname = 'SampleBatch' ORDER BY c.relname`,
  );
  const cutoff = partitionName(dayStart(before));
  const dropped: string[] = [];
  const kept: string[] = [];
  for (const { name } of rows.filter((row) => row.name < cutoff)) {
    const waiting = await pool.query(`SELECT 1 FROM "${name}" WHERE "aggregatedAt" IS NULL LIMIT 1`);
    if (waiting.rowCount) {
      kept.push(name);
      continue;
    }
    await pool.query(`DROP TABLE IF EXISTS "${name}"`);
    dropped.push(name);
  }
  return { dropped, kept };
}
