import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const require = createRequire(import.meta.url);
const run = promisify(execFile);

/**
 * The SQL that Prisma itself would write to create `schema.prisma` from an empty database.
 *
 * Prisma 7's schema engine is a native binary we cannot download here, but Prisma 6.19's JS engine
 * (WASM, behind `engine: "js"`) computes the same `migrate diff` offline. Prisma 6 still wants the URL in
 * the datasource block and the old generator name, so we hand it a translated copy of the schema. Its JS
 * engine opens a connection through the adapter (it reads nothing from it), hence `databaseUrl`.
 */
export async function prismaSqlFor(schemaPath: string, databaseUrl: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "prisma-sql-"));
  try {
    const schema = readFileSync(schemaPath, "utf8")
      .replace(/generator client \{[^}]*\}/, 'generator client {\n  provider = "prisma-client-js"\n}')
      .replace(
        /(datasource db \{[^}]*provider\s*=\s*"postgresql")/,
        '$1\n  url = "postgresql://unused@localhost/unused"',
      );
    writeFileSync(join(dir, "schema.prisma"), schema);
    const adapter = require.resolve("@prisma/adapter-pg");
    writeFileSync(
      join(dir, "prisma.config.mjs"),
      `import { PrismaPg } from ${JSON.stringify(adapter)};
export default { experimental: { adapter: true }, engine: "js", schema: "schema.prisma",
  adapter: async () => new PrismaPg({ connectionString: ${JSON.stringify(databaseUrl)} }) };\n`,
    );
    const cli = join(dirname(require.resolve("prisma/package.json")), "build", "index.js");
    const { stdout } = await run(
      process.execPath,
      [
        cli,
        "migrate",
        "diff",
        "--from-empty",
        "--to-schema-datamodel",
        "schema.prisma",
        "--script",
        "--config",
        "prisma.config.mjs",
      ],
      {
        cwd: dir,
        maxBuffer: 64 * 1024 * 1024,
        env: {
          ...process.env,
          // Never run: they only need to exist so the CLI does not try to download them.
          PRISMA_QUERY_ENGINE_LIBRARY: process.execPath,
          PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
          PRISMA_HIDE_UPDATE_MESSAGE: "1",
          CHECKPOINT_DISABLE: "1",
        },
      },
    );
    if (!stdout.includes("CREATE TABLE")) throw new Error("prisma migrate diff produced no SQL");
    return stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
