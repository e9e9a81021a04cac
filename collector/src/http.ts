import { collectorVersion } from "./version.ts";

/** How the collector reaches the server: base URL and the host credential. */
export interface ServerAuth {
  server: string;
  credential: string;
  /** The operator's release public key (base64 SPKI), learnt at enrollment; upgrades need it. */
  releasePublicKey?: string;
}

export type Outcome = "ok" | "retry" | "credential" | "upgrade" | "reject";

export interface ServerError {
  status: number;
  code?: string;
  message?: string;
}

/**
 * What a response means for the collector. Credential and version problems stop it (no retry can help);
 * 408, 429 and 5xx are the server's to recover from; any other 4xx is about this request, so it is set
 * aside rather than retried forever.
 */
export function classify({ status, code }: ServerError): Outcome {
  if (status >= 200 && status < 300) return "ok";
  if (code === "CREDENTIAL_REVOKED" || code === "UNAUTHENTICATED" || status === 401) return "credential";
  if (code === "UPGRADE_REQUIRED" || status === 426) return "upgrade";
  if (status === 408 || status === 429 || status >= 500) return "retry";
  return "reject";
}

/** Reads `{error:{code,message}}`, tolerating bodies from proxies that are not ours. */
export async function readServerError(response: Response): Promise<ServerError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    const code = typeof body.error?.code === "string" ? body.error.code : undefined;
    const message = typeof body.error?.message === "string" ? body.error.message : undefined;
    return { status: response.status, code, message };
  } catch {
    return { status: response.status, message: text.slice(0, 200) };
  }
}

/** Retry-After as milliseconds (delta-seconds or an HTTP date), or undefined. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with full jitter, so a fleet recovering from an outage does not retry in lockstep. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  return Math.round(random() * Math.min(maxMs, baseMs * 2 ** attempt));
}

export function authHeaders(auth: ServerAuth): Record<string, string> {
  return { Authorization: `Bearer ${auth.credential}`, "X-Collector-Version": collectorVersion };
}

export function endpoint(auth: Pick<ServerAuth, "server">, path: string): string {
  return `${auth.server.replace(/\/+$/, "")}${path}`;
}

/** Sleeps, waking early (without throwing) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}
