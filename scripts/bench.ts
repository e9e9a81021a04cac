import { existsSync } from "node:fs";
import { bin, repoRoot, runStep } from "./lib/run.ts";

/**
 * `npm run bench -- [part…]`: each part prints its figures beside a baseline measured in the same run and
 * ends with one line `<part>: key=value …`. Parts live in scripts/bench/<part>.ts.
 */
const parts = [
  "collector",
  "pipeline",
  "fleet",
  "fold",
  "rating",
  "portal",
  "export",
  "anomaly",
  "anomaly-cv",
  "anomaly-scan",
] as const;
const asked = process.argv.slice(2);
const unknown = asked.filter((part) => !(parts as readonly string[]).includes(part));
if (unknown.length) {
  console.error(`bench: unknown part ${unknown.join(", ")}; parts: ${parts.join(", ")}`);
  process.exit(2);
}
let failed = false;
for (const part of asked.length ? asked : parts) {
  const file = `${repoRoot}scripts/bench/${part}.ts`;
  if (!existsSync(file)) {
    console.log(`${part}: not implemented`);
    continue;
  }
  try {
    // A bench's independent references (the fleet's drift check recomputes every rollup of up to 10,000
    // hosts from the raw batches) hold more than Node's default heap of about 4 GB. A flag, not
    // NODE_OPTIONS: the web and worker processes a bench starts keep the heap they run with in production.
    await runStep(`bench ${part}`, bin("tsx"), ["--max-old-space-size=12288", file], process.env);
  } catch (error) {
    failed = true;
    console.error(`bench ${part} failed: ${(error as Error).message}`);
  }
}
process.exit(failed ? 1 : 0);
