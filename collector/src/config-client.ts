import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type CollectorConfig, collectorConfigSchema, compareVersions } from "@meterplane/wire";
import { z } from "zod";
import { exitCodes, FatalError } from "./errors.ts";
import { writeFileAtomic } from "./fs-atomic.ts";
import { authHeaders, classify, endpoint, readServerError, type ServerAuth } from "./http.ts";
import { parseJsonOrUndefined } from "./json.ts";
import { collectorVersion } from "./version.ts";

const cacheSchema = z.object({ etag: z.string().nullable(), config: collectorConfigSchema });

/** A retryable failure to reach the server or get a usable answer. */
export class ConfigUnavailableError extends Error {}

/**
 * Fetches this host's configuration, revalidating with the last ETag. The last good configuration is kept
 * in `<stateDir>/config.json`, so a collector restarted while the server is down keeps metering.
 */
export class ConfigClient {
  private cache: z.infer<typeof cacheSchema> | undefined;
  private readonly path: string;

  constructor(
    private readonly auth: ServerAuth,
    stateDir: string,
  ) {
    this.path = join(stateDir, "config.json");
    this.cache = readCache(this.path);
  }

  cached(): CollectorConfig | undefined {
    return this.cache?.config;
  }

  async fetch(signal?: AbortSignal): Promise<CollectorConfig> {
    const headers: Record<string, string> = { ...authHeaders(this.auth), Accept: "application/json" };
    if (this.cache?.etag) headers["If-None-Match"] = this.cache.etag;
    const timeout = AbortSignal.timeout(30_000);
    let response: Response;
    try {
      response = await fetch(endpoint(this.auth, "/api/v1/collector/config"), {
        headers,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      throw new ConfigUnavailableError(`config request failed: ${String(error)}`);
    }
    if (response.status === 304 && this.cache) return this.cache.config;
    if (!response.ok) {
      const error = await readServerError(response);
      const outcome = classify(error);
      const detail = `${error.code ?? error.status}: ${error.message ?? ""}`;
      if (outcome === "credential")
        throw new FatalError(exitCodes.credential, `server refused the host credential (${detail})`);
      throw new ConfigUnavailableError(`config request answered ${detail}`);
    }
    const parsed = collectorConfigSchema.safeParse(await response.json());
    if (!parsed.success) throw new ConfigUnavailableError(`config response invalid: ${parsed.error.message}`);
    this.cache = { etag: response.headers.get("etag"), config: parsed.data };
    writeFileAtomic(this.path, JSON.stringify(this.cache), 0o600);
    return parsed.data;
  }
}

/**
 * The version the server demands when it is newer than this collector, else undefined. An old collector
 * keeps metering and spooling (the server answers its batches 426 until it upgrades): exiting would lose
 * every gauge until someone noticed.
 */
export function requiredUpgrade(config: CollectorConfig): string | undefined {
  const minimum = config.minimumVersion;
  return minimum && compareVersions(minimum, collectorVersion) > 0 ? minimum : undefined;
}

function readCache(path: string): z.infer<typeof cacheSchema> | undefined {
  if (!existsSync(path)) return undefined;
  // A damaged cache only costs one fetch: the server is the source of truth.
  const parsed = cacheSchema.safeParse(parseJsonOrUndefined(readFileSync(path, "utf8")));
  return parsed.success ? parsed.data : undefined;
}
