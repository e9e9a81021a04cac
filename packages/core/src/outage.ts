import type { Logger } from "./logger.ts";

/**
 * One log line when a dependency (Postgres, Redis) becomes unreachable and one when it answers again,
 * however many requests, reconnect attempts or jobs fail in between: an outage is one event, not a flood.
 */
export interface OutageLog {
  /** Records a failure that means the dependency is unreachable; logs only the first of an outage. */
  down(error: unknown): void;
  /** Records a success; ends the outage (with its length) if one was open. */
  up(): void;
  readonly isDown: boolean;
}

export function createOutageLog(log: Logger | undefined, what: string): OutageLog {
  let since: number | undefined;
  return {
    down(error) {
      if (since !== undefined) return;
      since = Date.now();
      log?.warn({ err: error instanceof Error ? error.message : String(error) }, `${what} unreachable`);
    },
    up() {
      if (since === undefined) return;
      const seconds = (Date.now() - since) / 1000;
      since = undefined;
      log?.info({ seconds }, `${what} reachable again`);
    },
    get isDown() {
      return since !== undefined;
    },
  };
}
