import { mkdirSync, realpathSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { enrollCommand } from "./commands/enroll.ts";
import { measureOnce } from "./commands/once.ts";
import { runCollector } from "./commands/run.ts";
import { collectorStatus, formatStatus } from "./commands/status.ts";
import { loadAuth } from "./credential.ts";
import { parseEnv } from "./env.ts";
import { cgroupPaths } from "./environments/cgroup.ts";
import { exitCodes, FatalError, UsageError } from "./errors.ts";
import { createLogger } from "./log.ts";
import { collectorVersion } from "./version.ts";

const usage = `usage: meterplane-collector <command> [options]
  enroll --server URL --token TOKEN [--state-dir DIR]   exchange an enrollment token for this host's credential
  run [--server URL --credential-file FILE] [--state-dir DIR] [--spool-max-bytes N]
                                                        sample, spool and ship until SIGTERM/SIGINT
  once (--cgroup PATH | --pid PID | --unit NAME | --container ID) [--window SECONDS] [--json]
                                                        measure one environment, print each meter, no server
  status [--state-dir DIR] [--json]                     spool size and the last shipping result
  version`;

const options = {
  server: { type: "string" },
  token: { type: "string" },
  "state-dir": { type: "string" },
  "credential-file": { type: "string" },
  "spool-max-bytes": { type: "string" },
  cgroup: { type: "string" },
  pid: { type: "string" },
  unit: { type: "string" },
  container: { type: "string" },
  window: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export async function main(argv: string[]): Promise<number> {
  const env = parseEnv();
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, ...extra] = positionals;
  if (values.help || command === "help") {
    console.log(usage);
    return exitCodes.ok;
  }
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const stateDir = values["state-dir"] ?? env.METERPLANE_STATE_DIR;
  const log = createLogger(undefined, env.METERPLANE_LOG_LEVEL);

  switch (command) {
    case "enroll": {
      const server = required(values.server, "--server");
      await enrollCommand({ server, token: required(values.token, "--token"), stateDir, log });
      return exitCodes.ok;
    }
    case "run": {
      const auth = loadAuth({
        stateDir,
        server: values.server,
        credentialFile: values["credential-file"],
        env,
      });
      const maxSpoolBytes = values["spool-max-bytes"]
        ? positiveInt(values["spool-max-bytes"], "--spool-max-bytes")
        : env.METERPLANE_SPOOL_MAX_BYTES;
      const stop = new AbortController();
      for (const signal of ["SIGTERM", "SIGINT"] as const) {
        process.once(signal, () => {
          log.info("stopping", { signal });
          stop.abort();
        });
      }
      mkdirSync(dirname(env.METERPLANE_TRANSACTIONS_SOCKET), { recursive: true });
      return runCollector({
        stateDir,
        auth,
        log,
        signal: stop.signal,
        maxSpoolBytes,
        transactions: {
          udpPort: env.METERPLANE_TRANSACTIONS_PORT,
          socketPath: env.METERPLANE_TRANSACTIONS_SOCKET,
        },
      });
    }
    case "once": {
      const targets = [
        ["cgroup", values.cgroup],
        ["process_tree", values.pid && `pid:${positiveInt(values.pid, "--pid")}`],
        ["systemd_unit", values.unit],
        ["container", values.container],
      ] as const;
      const chosen = targets.filter(([, selector]) => selector);
      const [kind, selector] = chosen[0] ?? [];
      if (chosen.length !== 1 || !kind || !selector)
        throw new UsageError(
          "once needs exactly one of --cgroup PATH, --pid PID, --unit NAME or --container ID",
        );
      if (kind === "cgroup") validateSelector(() => cgroupPaths({ v1: {} }, selector));
      const windowSeconds = values.window ? positiveInt(values.window, "--window") : 5;
      const results = await measureOnce({
        kind,
        selector,
        windowSeconds,
        log: createLogger((line) => process.stderr.write(line), "warn"),
      });
      if (values.json) console.log(JSON.stringify({ windowSeconds, meters: results }));
      else
        for (const r of results)
          console.log(
            `${r.meter.padEnd(17)} ${r.dimensions ? `${Object.values(r.dimensions).join(" ").padEnd(16)} ` : "".padEnd(17)}${r.value} ${r.unit}${r.kind === "counter" ? ` over ${windowSeconds} s` : ""}`,
          );
      return exitCodes.ok;
    }
    case "status": {
      const status = collectorStatus(stateDir);
      console.log(values.json ? JSON.stringify(status) : formatStatus(status));
      return exitCodes.ok;
    }
    case "version":
      console.log(collectorVersion);
      return exitCodes.ok;
    case undefined:
      throw new UsageError("missing command (enroll, run, once, status); see --help");
    default:
      throw new UsageError(`unknown command "${command}"; see --help`);
  }
}

function required(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`${flag} is required`);
  return value;
}

function validateSelector(check: () => unknown): void {
  try {
    check();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function positiveInt(value: string, flag: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new UsageError(`${flag} must be a positive integer, got "${value}"`);
  return Number(value);
}

/** Every failure ends as one line on stderr and a documented exit code. */
function fail(error: unknown): number {
  const code =
    error instanceof UsageError
      ? exitCodes.usage
      : error instanceof FatalError
        ? error.exitCode
        : exitCodes.failure;
  process.stderr.write(`meterplane-collector: ${error instanceof Error ? error.message : String(error)}\n`);
  return code;
}

// Run only as the entry point (the bin shim), not when imported by tests.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => process.exit(fail(error)),
  );
}
