import { gzipSync } from "node:zlib";
import { ingestAckSchema } from "@meterplane/wire";
import { exitCodes, FatalError } from "./errors.ts";
import {
  authHeaders,
  backoffMs,
  classify,
  endpoint,
  type Outcome,
  readServerError,
  retryAfterMs,
  type ServerAuth,
  type ServerError,
  sleep,
} from "./http.ts";
import type { Logger } from "./log.ts";
import type { Spool, SpoolEntry } from "./spool.ts";
import { recordShip } from "./status.ts";

/** How often a collector the server refused as too old asks again (the minimum may be lowered meanwhile). */
const upgradeRecheckMs = 30_000;

export interface ShipperOptions {
  auth: ServerAuth;
  spool: Spool;
  stateDir: string;
  log: Logger;
  backoff?: { baseMs: number; maxMs: number };
  requestTimeoutMs?: number;
}

/**
 * Sends spooled batches oldest first, one at a time, and deletes each only once the server acknowledged
 * it (202 accepted or duplicate). Order matters less to the server than to people reading a backlog, and
 * one in flight keeps a recovering server from being flooded.
 */
export class Shipper {
  private attempt = 0;
  private readonly backoff: { baseMs: number; maxMs: number };

  constructor(private readonly options: ShipperOptions) {
    this.backoff = options.backoff ?? { baseMs: 1000, maxMs: 5 * 60_000 };
  }

  /** Ships until the spool is empty or `signal` aborts. Throws FatalError when the credential is refused. */
  async drain(signal?: AbortSignal): Promise<void> {
    for (let entry = this.oldest(); entry && !signal?.aborted; entry = this.oldest()) {
      const delayMs = await this.shipOne(entry, signal);
      if (delayMs !== undefined) await sleep(delayMs, signal);
    }
  }

  /** Ships one batch; returns how long to wait before the next attempt when it must be retried. */
  async shipOne(entry: SpoolEntry, signal?: AbortSignal): Promise<number | undefined> {
    const { log, spool, stateDir } = this.options;
    let response: Response;
    try {
      response = await this.post(entry, signal);
    } catch (error) {
      if (signal?.aborted) return undefined;
      return this.retry(entry, { status: 0, message: String(error) }, undefined);
    }
    if (response.ok) {
      const ack = ingestAckSchema.safeParse(await response.json().catch(() => undefined));
      const result = ack.success ? ack.data.status : "accepted";
      spool.remove(entry);
      recordShip(stateDir, {
        at: new Date().toISOString(),
        result,
        sequence: entry.sequence,
        httpStatus: response.status,
      });
      log.info("batch shipped", { sequence: entry.sequence, status: result, batchId: ack.data?.batchId });
      for (const dropped of ack.data?.dropped ?? [])
        log.warn("the server dropped samples of this batch", { sequence: entry.sequence, ...dropped });
      this.attempt = 0;
      return undefined;
    }
    const error = await readServerError(response);
    const outcome: Outcome = classify(error);
    if (outcome === "retry" || outcome === "ok") {
      return this.retry(entry, error, retryAfterMs(response.headers.get("retry-after")));
    }
    this.record(entry, outcome === "reject" ? "rejected" : outcome, error);
    if (outcome === "credential") {
      throw new FatalError(
        exitCodes.credential,
        `server refused the host credential (${error.code ?? error.status}): ${error.message ?? ""}`,
      );
    }
    if (outcome === "upgrade") {
      // The batch stays in the spool: this collector's successor ships it once the upgrade is done.
      this.options.log.warn("shipping paused: the server requires a newer collector", {
        sequence: entry.sequence,
        ...error,
        retryInMs: upgradeRecheckMs,
      });
      return upgradeRecheckMs;
    }
    const target = spool.reject(entry);
    log.error("batch rejected by the server; moved aside", {
      sequence: entry.sequence,
      path: target,
      ...error,
    });
    this.attempt = 0;
    return undefined;
  }

  private post(entry: SpoolEntry, signal?: AbortSignal): Promise<Response> {
    const timeout = AbortSignal.timeout(this.options.requestTimeoutMs ?? 30_000);
    return fetch(endpoint(this.options.auth, "/api/v1/ingest"), {
      method: "POST",
      headers: {
        ...authHeaders(this.options.auth),
        "Content-Type": "application/json",
        "Content-Encoding": "gzip",
      },
      body: gzipSync(this.options.spool.read(entry)),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  }

  private retry(entry: SpoolEntry, error: ServerError, retryAfter: number | undefined): number {
    const delayMs = Math.max(
      retryAfter ?? 0,
      backoffMs(this.attempt, this.backoff.baseMs, this.backoff.maxMs),
    );
    this.attempt += 1;
    this.record(entry, "retrying", error);
    this.options.log.warn("shipping failed; will retry", {
      sequence: entry.sequence,
      delayMs,
      attempt: this.attempt,
      ...error,
    });
    return delayMs;
  }

  private record(
    entry: SpoolEntry,
    result: "rejected" | "retrying" | "credential" | "upgrade",
    error: ServerError,
  ) {
    recordShip(this.options.stateDir, {
      at: new Date().toISOString(),
      result,
      sequence: entry.sequence,
      httpStatus: error.status || undefined,
      code: error.code,
      message: error.message,
    });
  }

  private oldest(): SpoolEntry | undefined {
    return this.options.spool.entries()[0];
  }
}
