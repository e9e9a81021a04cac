import { existsSync, mkdirSync } from "node:fs";
import { continueSequenceFrom } from "@meterplane/collector";
import { connectDatabase, ensureSamplePartitions } from "@meterplane/db";
import { applyMigrations, databaseUrl } from "@meterplane/db/migrations";
import pg from "pg";
import { startDemoWorkload } from "./lib/demo-environment.ts";
import { repoRoot, runStep } from "./lib/run.ts";
import { demoLogin, seedDemo } from "./lib/seed.ts";
import { ensureServices } from "./lib/services.ts";
import { supervise } from "./lib/supervise.ts";
import { ingestNodeOptions, webNodeOptions } from "./lib/web-node-options.ts";

/**
 * `npm start`: the whole system on this machine with no configuration. Finds or starts Postgres and
 * Redis, migrates, seeds a demo, builds and starts the web app, the worker and a collector metering a
 * demo workload on this host. Ingest runs as a process of its own (server.mjs --ingest-only, on PORT + 1),
 * so the portal dying cannot stop collectors' batches being acknowledged; a child that dies is restarted.
 * Ctrl-C stops everything it started.
 */
const say = (line: string) => console.log(`[meterplane] ${line}`);
const services = await ensureServices(say);
const children = supervise(say);
let demo: ReturnType<typeof startDemoWorkload> | undefined;

async function shutdown(code: number) {
  say("stopping…");
  await children.stop();
  demo?.stop();
  await services.stop();
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

try {
  const url = process.env.DATABASE_URL ?? databaseUrl(services.postgresServerUrl, "meterplane");
  await createDatabaseIfMissing(services.postgresServerUrl, new URL(url).pathname.slice(1));
  const applied = await applyMigrations(url);
  say(applied.length ? `applied migrations: ${applied.join(", ")}` : "database is up to date");

  demo = startDemoWorkload(repoRoot);
  const db = connectDatabase(url, { max: 2 });
  await ensureSamplePartitions(db.pool);
  const seeded = await seedDemo(db, { kind: demo.kind, selector: demo.selector });
  await db.close();
  say(
    `demo: tenant "${seeded.tenant.name}", environment "${seeded.environment.name}" (${demo.kind} ${demo.selector}) on host "${seeded.host.name}"`,
  );

  const env = {
    ...process.env,
    DATABASE_URL: url,
    REDIS_URL: services.redisUrl,
    NEXT_TELEMETRY_DISABLED: "1",
    MP_INSECURE_COOKIES: "1",
  };
  // Tests of `npm start` build the web app once before they run, as `npm test` does, and reuse that build.
  if (process.env.MP_REUSE_WEB_BUILD && existsSync(`${repoRoot}apps/web/.next/BUILD_ID`))
    say("using the existing build of the web app (MP_REUSE_WEB_BUILD)");
  else
    await runStep(
      "building the web app",
      process.execPath,
      [`${repoRoot}node_modules/next/dist/bin/next`, "build"],
      env,
      `${repoRoot}apps/web`,
    );
  const port = process.env.PORT ?? "3000";
  const ingestPort = String(Number(port) + 1);
  const server = `http://127.0.0.1:${port}`;
  const ingest = `http://127.0.0.1:${ingestPort}`;
  const web = {
    command: process.execPath,
    env: { ...env, NODE_OPTIONS: webNodeOptions() },
    cwd: `${repoRoot}apps/web`,
  };
  children.start({ name: "web", ...web, args: ["server.mjs", "-p", port] });
  children.start({
    name: "ingest",
    ...web,
    env: { ...env, NODE_OPTIONS: ingestNodeOptions() },
    args: ["server.mjs", "-p", ingestPort, "--ingest-only", "--upstream", server],
  });
  children.start({
    name: "worker",
    command: process.execPath,
    args: ["--import", "tsx", "apps/worker/src/main.ts"],
    env,
    cwd: repoRoot,
  });
  await waitForHealth(server);
  await waitForHealth(ingest);
  const stateDir = process.env.METERPLANE_STATE_DIR ?? `${repoRoot}.data/collector`;
  mkdirSync(stateDir, { recursive: true });
  continueSequenceFrom(stateDir, seeded.nextSequence);
  children.start({
    name: "collector",
    command: process.execPath,
    args: ["--import", "tsx", "collector/src/cli.ts", "run"],
    env: {
      ...env,
      METERPLANE_SERVER: ingest,
      METERPLANE_CREDENTIAL: seeded.credential,
      METERPLANE_STATE_DIR: stateDir,
    },
    cwd: repoRoot,
  });
  say(`portal: http://localhost:${port}  (sign in as ${demoLogin.email} / ${demoLogin.password})`);
  say(`demo environment: http://localhost:${port}/environments/${seeded.environment.id}`);
  say("Ctrl-C stops everything");
} catch (error) {
  console.error(`[meterplane] start failed: ${(error as Error).message}`);
  await shutdown(1);
}

/**
 * Ready when /api/health answers. Polled, so the bound only matters when the app never comes up: it is
 * generous because a loaded machine can take minutes to start Next.
 */
async function waitForHealth(server: string) {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`${server}/api/health`, { signal: AbortSignal.timeout(10_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the web app did not answer on ${server} within 5 minutes`);
}

async function createDatabaseIfMissing(serverUrl: string, name: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}
