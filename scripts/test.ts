import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { ensureChromium } from "./lib/chromium.ts";
import { closingLine } from "./lib/closing-line.ts";
import { bin, repoRoot, runStep } from "./lib/run.ts";
import { ensureServices } from "./lib/services.ts";

/**
 * `npm test`: every check, against real Postgres and Redis and in Debian's Chromium. Each test file creates
 * (and drops) its own database on the server found here, and its own BullMQ key prefix in Redis.
 */
try {
  ensureChromium((line) => console.log(line));
} catch (error) {
  console.error(`npm test: ${(error as Error).message}`);
  console.log(`\n${closingLine(undefined, true, "installing Chromium")}`);
  process.exit(1);
}
const services = await ensureServices((line) => console.log(line));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  MP_PG_SERVER_URL: services.postgresServerUrl,
  REDIS_URL: services.redisUrl,
  NEXT_TELEMETRY_DISABLED: "1",
  TURBO_TELEMETRY_DISABLED: "1",
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1",
};
// Tests create their own databases; a DATABASE_URL from the shell must not leak into them.
delete env.DATABASE_URL;

const report = `${repoRoot}.data/vitest-report.json`;
// A report left by an earlier run must not stand in for this one's.
rmSync(report, { force: true });
let failedStep: string | undefined;
const step = async (name: string, command: string, args: string[], cwd?: string) => {
  if (failedStep) return;
  try {
    await runStep(name, command, args, env, cwd);
  } catch (error) {
    failedStep = name;
    console.error(`\n✗ ${(error as Error).message}`);
  }
};
await step("lint and format (biome)", bin("biome"), ["ci", "--colors=off", "."]);
await step("layers (imports and env reads)", bin("tsx"), [`${repoRoot}scripts/check-layers.ts`]);
await step("type check (every workspace)", bin("turbo"), ["run", "typecheck", "--output-logs=errors-only"]);
await step(
  "build the web app",
  process.execPath,
  [`${repoRoot}node_modules/next/dist/bin/next`, "build"],
  `${repoRoot}apps/web`,
);
mkdirSync(`${repoRoot}.data`, { recursive: true });
await step("tests (vitest)", bin("vitest"), [
  "run",
  ...process.argv.slice(2),
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${report}`,
]);
await services.stop();
const parsed = existsSync(report) ? JSON.parse(readFileSync(report, "utf8")) : undefined;
console.log(`\n${closingLine(parsed, failedStep !== undefined, failedStep)}`);
process.exit(failedStep ? 1 : 0);
