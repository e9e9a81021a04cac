import { createOutageLog, type Logger, type OutageLog } from "@meterplane/core";
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
  /** Whether Postgres is reachable, as the pool last saw it; its log says when an outage starts and ends. */
  outage: OutageLog;
  /**
   * Whether `error` means Postgres is unreachable (refused, restarting, a connection cut) rather than a
   * fault of the statement; if so it is recorded as (part of) an outage, and the caller need not log it.
   */
  unreachable(error: unknown): boolean;
  close(): Promise<void>;
}

// Postgres numeric and int8 arrive as strings: exact, never rounded through a float.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => value);

const unreachableCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "EAI_AGAIN",
  "57P01", // admin_shutdown: the server is stopping
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now: starting up or shutting down
  "P1001", // Prisma: can't reach the database server
  "P1017", // Prisma: the server closed the connection
]);
const unreachableMessage =
  /Connection terminated|connection error|terminating connection|timeout exceeded when trying to connect|ECONNREFUSED|ECONNRESET|the database system is (starting up|shutting down|in recovery mode)|Can't reach database/i;

/** Whether an error (or one it wraps, as Prisma's do) says Postgres could not be reached. */
export function isDatabaseUnreachable(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const { code, originalCode, kind, message, cause } = e as Record<string, unknown>;
    if ([code, originalCode].some((c) => typeof c === "string" && unreachableCodes.has(c))) return true;
    if (kind === "DatabaseNotReachable" || kind === "ConnectionClosed") return true;
    if (typeof code === "string" && code.startsWith("08")) return true; // SQLSTATE class 08: connection exception
    if (typeof message === "string" && unreachableMessage.test(message)) return true;
    e = cause;
  }
  return false;
}

export function connectDatabase(
  connectionString: string,
  options: {
    max?: number;
    log?: Logger;
    /** Settings of every session the pool opens, as Postgres's `options` (`-c work_mem=64MB ...`). */
    sessionOptions?: string;
  } = {},
): Database {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    ...(options.sessionOptions && { options: options.sessionOptions }),
  });
  const outage = createOutageLog(options.log, "postgres");
  let probe: NodeJS.Timeout | undefined;
  const reachable = () => {
    clearInterval(probe);
    probe = undefined;
    outage.up();
  };
  const unreachable = (error: unknown) => {
    if (!isDatabaseUnreachable(error)) return false;
    outage.down(error);
    // Something must notice the end of an outage even when no request or job asks: one query a second.
    probe ??= setInterval(() => {
      pool.query("SELECT 1").then(reachable, () => undefined);
    }, 1000).unref();
    return true;
  };
  // An idle client that loses its connection is reported on the pool; a checked-out one on itself, and
  // without a listener that 'error' would crash the process (a restart of Postgres cuts every connection).
  pool.on("error", unreachable);
  pool.on("connect", (client) => {
    client.on("error", unreachable);
    reachable();
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    pool,
    outage,
    unreachable,
    async close() {
      clearInterval(probe);
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
  let broken = false;
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    // A connection cut mid-transaction is not put back in the pool for the next caller.
    broken = isDatabaseUnreachable(error);
    if (!broken) await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release(broken);
  }
}
