/**
 * One JSON object per line on stdout, pino-shaped (`level`, `time`, `msg`), so journald and any log
 * shipper can parse it without a dependency.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";
const levels: Record<LogLevel, number> = { debug: 20, info: 30, warn: 40, error: 50 };

export type Logger = Record<LogLevel, (msg: string, fields?: Record<string, unknown>) => void>;

export function createLogger(
  write: (line: string) => void = (line) => process.stdout.write(line),
  minimum: LogLevel = "info",
): Logger {
  const emit =
    (level: LogLevel) =>
    (msg: string, fields: Record<string, unknown> = {}) => {
      if (levels[level] < levels[minimum]) return;
      write(`${JSON.stringify({ level, time: new Date().toISOString(), msg, ...fields })}\n`);
    };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}

/** For tests and `once`: a logger that keeps nothing. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
