import { authHeaders, classify, endpoint, readServerError, type ServerAuth } from "./http.ts";
import type { Logger } from "./log.ts";
import type { CollectorState } from "./state.ts";

/**
 * Delivers the hand-overs of environments that moved off this host (POST /api/v1/collector/handover), so
 * the next host can continue from their closing readings. Unreachable or failing servers are tried again
 * on the next round; a refusal is final (the next host then uses its own readings at the instant).
 * `posted` reaches the state file with the next tick's commit; a re-post after a crash changes nothing.
 */
export async function postHandoffs(
  state: CollectorState,
  auth: ServerAuth,
  log: Logger,
  signal: AbortSignal,
): Promise<void> {
  for (const [environmentId, entry] of state.handoffs) {
    if (entry.posted || signal.aborted) continue;
    let response: Response;
    try {
      response = await fetch(endpoint(auth, "/api/v1/collector/handover"), {
        method: "POST",
        headers: { ...authHeaders(auth), "Content-Type": "application/json" },
        body: JSON.stringify(entry.handover),
        signal: AbortSignal.any([signal, AbortSignal.timeout(30_000)]),
      });
    } catch (error) {
      if (!signal.aborted)
        log.warn("hand-over not delivered; will retry", { environmentId, error: String(error) });
      return;
    }
    if (response.ok) {
      await response.body?.cancel();
      entry.posted = true;
      log.info("hand-over delivered", { environmentId, at: entry.handover.at });
      continue;
    }
    const error = await readServerError(response);
    if (classify(error) !== "reject") {
      log.warn("hand-over not delivered; will retry", { environmentId, ...error });
      return;
    }
    entry.posted = true;
    log.warn("hand-over refused; the next host continues from its own readings", { environmentId, ...error });
  }
}
