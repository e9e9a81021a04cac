import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { bin, repoRoot, runStep } from "./lib/run.ts";
import { ensureServices } from "./lib/services.ts";

/**
 * `npm test`: every check, against real Postgres and Redis. Each test file creates (and drops) its own
 * database on the server found here, and its own BullMQ key prefix in Redis.
 */
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
let failed = false;
try {
  await runStep("lint and format (biome)", bin("biome"), ["ci", "--colors=off", "."], env);
  await runStep(
    "type check (every workspace)",
    bin("turbo"),
    ["run", "typecheck", "--output-logs=errors-only"],
    env,
  );
  await runStep(
    "build the web app",
    process.execPath,
    [`${repoRoot}node_modules/next/dist/bin/next`, "build"],
    env,
    `${repoRoot}apps/web`,
  );
  mkdirSync(`${repoRoot}.data`, { recursive: true });
  await runStep(
    "tests (vitest)",
    bin("vitest"),
    ["run", ...process.argv.slice(2), "--reporter=default", "--reporter=json", `--outputFile.json=${report}`],
    env,
  );
} catch (error) {
  failed = true;
  console.error(`\n✗ ${(error as Error).message}`);
} finally {
  await services.stop();
}
if (existsSync(report)) {
  const { numPassedTests, numFailedTests, numPendingTests } = JSON.parse(readFileSync(report, "utf8"));
  console.log(`\nvitest: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests} skipped`);
}
process.exit(failed ? 1 : 0);
