// Generates the Prisma client offline. `prisma generate` only needs the schema engine's path to exist
// (it never runs it), so we point it at a stub that explains itself if anything ever does run it.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const stub = fileURLToPath(new URL("./schema-engine-unavailable.sh", import.meta.url));
const cli = `${root}node_modules/prisma/build/index.js`;
if (!existsSync(cli)) {
  console.error("prisma-generate: the prisma CLI is not installed; run `npm ci` first");
  process.exit(1);
}
execFileSync(process.execPath, [cli, "generate"], {
  cwd: root,
  stdio: ["ignore", "inherit", "inherit"],
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? stub,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  },
});
