import { existsSync } from "node:fs";
import { repoRoot, runStep } from "./run.ts";

/**
 * Benches that drive the real web app build it first when no build is there (NEXT_DIST_DIR names the
 * build folder, default .next), so `npm run bench -- <part>` works on a fresh clone.
 */
export async function ensureWebBuild(): Promise<void> {
  const distDir = process.env.NEXT_DIST_DIR ?? ".next";
  if (existsSync(`${repoRoot}apps/web/${distDir}/BUILD_ID`)) return;
  await runStep(
    `build the web app (apps/web/${distDir} has none)`,
    process.execPath,
    [`${repoRoot}node_modules/next/dist/bin/next`, "build"],
    { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    `${repoRoot}apps/web`,
  );
}
