import type { Logger, OutageLog } from "@meterplane/core";
import { isRedisUnreachable } from "./connection.ts";

const everyMs = 60_000;

/**
 * Logs the errors a BullMQ queue or worker emits without flooding: an unreachable Redis goes to `outage`
 * (one line per outage), and any other error is logged the first time its message (digits aside: job ids
 * vary) is seen in a minute, with how many like it were held back. After Redis restarts empty, a worker
 * holding jobs gets one "missing lock" per job: that is one line, not thousands. Without a listener BullMQ
 * would print each error's stack to stderr.
 */
export function logQueueErrors(
  emitter: { on(event: "error", listener: (error: Error) => void): unknown },
  { log, outage, what }: { log: Logger; outage: OutageLog; what: string },
): void {
  const seen = new Map<string, { at: number; heldBack: number }>();
  emitter.on("error", (error) => {
    if (isRedisUnreachable(error)) return outage.down(error);
    const key = error.message.replace(/\d+/g, "#");
    const now = Date.now();
    const last = seen.get(key);
    if (last && now - last.at < everyMs) {
      last.heldBack++;
      return;
    }
    if (seen.size > 100) seen.clear();
    seen.set(key, { at: now, heldBack: 0 });
    log.warn({ err: error.message, heldBack: last?.heldBack ?? 0 }, `${what} error`);
  });
}
