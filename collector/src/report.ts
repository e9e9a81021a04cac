import type { CollectorReport } from "@meterplane/wire";
import { authHeaders, endpoint, type ServerAuth } from "./http.ts";
import type { Logger } from "./log.ts";
import { collectorVersion } from "./version.ts";

/**
 * What the portal shows of this collector: its version, its upgrade's state and the client policy it applies.
 * Each change is sent to POST /api/v1/collector/report, in order and best effort: a lost report is made good
 * by the next change or the next start.
 */
export class Reporter {
  private current: CollectorReport = { version: collectorVersion, upgrade: null, policy: null };
  private sending = Promise.resolve();

  constructor(
    private readonly auth: ServerAuth,
    private readonly log: Logger,
  ) {}

  update(change: Partial<Omit<CollectorReport, "version">>): void {
    this.current = { ...this.current, ...change };
    const body = JSON.stringify(this.current);
    this.sending = this.sending.then(() => this.send(body));
  }

  /** Resolves once every report so far was sent or given up (for a clean exit). */
  flushed(): Promise<void> {
    return this.sending;
  }

  private async send(body: string): Promise<void> {
    try {
      const response = await fetch(endpoint(this.auth, "/api/v1/collector/report"), {
        method: "POST",
        headers: { ...authHeaders(this.auth), "Content-Type": "application/json" },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
    } catch (error) {
      this.log.warn("could not report to the server", { error: String(error) });
    }
  }
}
