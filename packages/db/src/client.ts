import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client.ts";

export { Prisma, PrismaClient } from "./generated/prisma/client.ts";
export * from "./generated/prisma/enums.ts";

/**
 * One pool per process, shared by Prisma (for CRUD) and by the few hot paths that speak SQL directly
 * (ingest, aggregation, exports), so both see the same connections and limits.
 */
export interface Database {
  prisma: PrismaClient;
  pool: pg.Pool;
  close(): Promise<void>;
}

// Postgres numeric and int8 arrive as strings: exact, never rounded through a float.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => value);

export function connectDatabase(connectionString: string, options: { max?: number } = {}): Database {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10 });
  pool.on("error", () => {
    // An idle client lost its connection (e.g. Postgres restarted); the pool replaces it on next use.
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    pool,
    async close() {
      await prisma.$disconnect();
      await pool.end().catch(() => undefined);
    },
  };
}

/** Runs `fn` in one transaction on a dedicated client: committed if it returns, rolled back if it throws. */
export async function withTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
