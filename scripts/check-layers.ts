import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { repoRoot } from "./lib/run.ts";

/**
 * The layer rule Biome cannot express: portal and tenant pages read through the Prisma client, but every
 * write goes through a package's use case (`packages/<domain>/src/<verb-noun>.ts`), which validates, writes
 * and records its audit row in one transaction. Import boundaries and env reads are Biome's rules
 * (biome.json `overrides`). Exits 1 listing each write found.
 */
const writes = new Set([
  "create",
  "createMany",
  "createManyAndReturn",
  "update",
  "updateMany",
  "updateManyAndReturn",
  "upsert",
  "delete",
  "deleteMany",
  "$executeRaw",
  "$executeRawUnsafe",
  "$transaction",
]);

export function findPrismaWrites(file: string, source: string): string[] {
  const found: string[] = [];
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const chain = node.expression.expression.getText(sf);
      if (writes.has(method) && /\bprisma\b/.test(chain)) {
        const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
        found.push(`${file}:${line + 1}: ${chain}.${method}(…)`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const pages = join(repoRoot, "apps/web/src/app");
  const found = sources(pages).flatMap((path) =>
    findPrismaWrites(relative(repoRoot, path), readFileSync(path, "utf8")),
  );
  if (found.length) {
    console.error("pages must write through a package's use case, not the Prisma client:");
    for (const line of found) console.error(`  ${line}`);
    process.exit(1);
  }
  console.log("layers: no page writes through the Prisma client");
}
