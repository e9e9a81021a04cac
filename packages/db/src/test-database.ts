import { randomBytes } from "node:crypto";
import pg from "pg";
import { applyMigrations } from "./migrate.ts";
import { ensureSamplePartitions } from "./partitions.ts";

/** The URL of a sibling database on the same server: same credentials, another name. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Creates an empty database on the server of `serverUrl`; returns its URL and a function that drops it.
 * Tests and benchmarks each get their own, so runs never see each other's rows.
 */
export async function createScratchDatabase(
  serverUrl: string,
  options: { prefix?: string; migrate?: boolean } = {},
): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `${options.prefix ?? "meterplane_test"}_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = databaseUrl(serverUrl, name);
  if (options.migrate !== false) {
    await applyMigrations(url);
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    await ensureSamplePartitions(pool, new Date(Date.now() - 40 * 86_400_000), 45);
    await pool.end();
  }
  return {
    url,
    name,
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}
