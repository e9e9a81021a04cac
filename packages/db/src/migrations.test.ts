import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { prismaSqlFor } from "@meterplane/prisma-sql";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { postgresServerUrl } from "./env.ts";
import { applyMigrations, migrationsDir, readMigrations } from "./migrate.ts";
import { createScratchDatabase } from "./test-database.ts";

const schemaPath = fileURLToPath(new URL("../../../prisma/schema.prisma", import.meta.url));
const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const drop of drops) await drop();
});

async function scratch() {
  const db = await createScratchDatabase(postgresServerUrl(), { migrate: false });
  drops.push(db.drop);
  return db.url;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Everything schema.prisma can describe: tables, columns, keys, indexes, enums. Partitions are storage, not model. */
async function catalog(url: string) {
  const tables = `SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> '_prisma_migrations'`;
  const columns = await query(
    url,
    `
    SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default, character_maximum_length, numeric_precision, numeric_scale, datetime_precision
      FROM information_schema.columns WHERE table_schema = 'public' AND table_name IN (SELECT relname FROM pg_class WHERE oid IN (${tables}))
     ORDER BY table_name, column_name`,
  );
  const constraints = await query(
    url,
    `
    SELECT conrelid::regclass::text AS table, conname, contype, pg_get_constraintdef(oid) AS definition
      FROM pg_constraint WHERE conrelid IN (${tables}) ORDER BY 1, 2`,
  );
  const indexes = await query(
    url,
    `
    SELECT tablename, indexname, replace(indexdef, ' ON ONLY ', ' ON ') AS indexdef FROM pg_indexes
     WHERE schemaname = 'public' AND tablename IN (SELECT relname FROM pg_class WHERE oid IN (${tables})) ORDER BY 1, 2`,
  );
  const enums = await query(
    url,
    `
    SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS labels
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname ORDER BY 1`,
  );
  return { columns, constraints, indexes, enums };
}

describe("migrations", () => {
  it("build exactly the database that schema.prisma describes", async () => {
    const fromSchema = await scratch();
    await query(fromSchema, await prismaSqlFor(schemaPath, postgresServerUrl()));
    const fromMigrations = await scratch();
    await applyMigrations(fromMigrations);
    expect(await catalog(fromMigrations)).toEqual(await catalog(fromSchema));
  });

  it("are recorded in _prisma_migrations as Prisma records them, and applied once", async () => {
    const url = await scratch();
    expect(await applyMigrations(url)).toEqual(readMigrations().map((m) => m.name));
    expect(await applyMigrations(url)).toEqual([]);
    const rows = await query<{
      migration_name: string;
      checksum: string;
      applied_steps_count: number;
      finished_at: Date | null;
    }>(
      url,
      `SELECT migration_name, checksum, applied_steps_count, finished_at FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.map((r) => [r.migration_name, r.checksum, r.applied_steps_count])).toEqual(
      readMigrations().map((m) => [m.name, m.checksum, 1]),
    );
    expect(rows.every((r) => r.finished_at instanceof Date)).toBe(true);
  });

  it("refuse to run when an applied migration was edited afterwards", async () => {
    const url = await scratch();
    const dir = mkdtempSync(join(tmpdir(), "migrations-"));
    mkdirSync(join(dir, "20260101000000_first"));
    writeFileSync(join(dir, "20260101000000_first", "migration.sql"), "CREATE TABLE t (id int);");
    await applyMigrations(url, dir);
    writeFileSync(join(dir, "20260101000000_first", "migration.sql"), "CREATE TABLE t (id bigint);");
    await expect(applyMigrations(url, dir)).rejects.toThrow(/was changed after it was applied/);
  });

  it("leave nothing behind when a migration fails half-way", async () => {
    const url = await scratch();
    const dir = mkdtempSync(join(tmpdir(), "migrations-"));
    mkdirSync(join(dir, "20260101000000_broken"));
    writeFileSync(
      join(dir, "20260101000000_broken", "migration.sql"),
      "CREATE TABLE half (id int); SELECT no_such_function();",
    );
    await expect(applyMigrations(url, dir)).rejects.toThrow(/20260101000000_broken failed/);
    expect(await query(url, `SELECT to_regclass('half') AS t`)).toEqual([{ t: null }]);
    expect(await query(url, `SELECT count(*)::int AS n FROM "_prisma_migrations"`)).toEqual([{ n: 0 }]);
  });

  it("live in Prisma's layout", () => {
    for (const migration of readMigrations(migrationsDir))
      expect(migration.name).toMatch(/^\d{14}_[a-z0-9_]+$/);
  });
});
