import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { enrollResponseSchema } from "@meterplane/wire";
import { z } from "zod";
import type { CollectorEnv } from "./env.ts";
import { exitCodes, FatalError, UsageError } from "./errors.ts";
import { writeFileAtomic } from "./fs-atomic.ts";
import { classify, endpoint, readServerError, type ServerAuth } from "./http.ts";
import { continueSequenceFrom } from "./spool.ts";

const credentialFileSchema = z.object({ server: z.url(), hostId: z.uuid(), credential: z.string().min(1) });
export type StoredCredential = z.infer<typeof credentialFileSchema>;

export const credentialPath = (stateDir: string) => join(stateDir, "credential.json");

/**
 * Exchanges a one-time enrollment token for this host's credential and stores it, readable by root only.
 * The state directory then continues at the sequence the server gives: a reinstalled host's batches must not
 * reuse the sequences its earlier collector sent, which the server refuses.
 */
export async function enrollHost(options: {
  server: string;
  token: string;
  stateDir: string;
}): Promise<StoredCredential & { nextSequence?: number }> {
  const response = await fetch(endpoint(options, "/api/v1/collector/enroll"), {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ token: options.token }),
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) {
    const error = await readServerError(response);
    const exitCode =
      classify(error) === "upgrade"
        ? exitCodes.upgrade
        : classify(error) === "credential"
          ? exitCodes.credential
          : exitCodes.failure;
    throw new FatalError(
      exitCode,
      `enrollment refused (${error.code ?? error.status}): ${error.message ?? ""}`,
    );
  }
  const { hostId, credential, nextSequence } = enrollResponseSchema.parse(await response.json());
  const stored = { server: options.server, hostId, credential };
  mkdirSync(options.stateDir, { recursive: true, mode: 0o700 });
  // Before the credential: a crash between the two must not leave a runnable collector that starts too low.
  if (nextSequence !== undefined) continueSequenceFrom(options.stateDir, nextSequence);
  writeFileAtomic(credentialPath(options.stateDir), `${JSON.stringify(stored, null, 2)}\n`, 0o600);
  return { ...stored, nextSequence };
}

/**
 * Where `run` gets its server and credential, first match wins: --server/--credential-file flags,
 * METERPLANE_SERVER/METERPLANE_CREDENTIAL (for the dev launcher), then `<stateDir>/credential.json`.
 * A credential file may be the JSON `enroll` writes or just the credential on one line.
 */
export function loadAuth(options: {
  stateDir: string;
  server?: string;
  credentialFile?: string;
  env: Pick<CollectorEnv, "METERPLANE_SERVER" | "METERPLANE_CREDENTIAL">;
}): ServerAuth {
  const { env } = options;
  const stored = readStored(
    options.credentialFile ?? credentialPath(options.stateDir),
    options.credentialFile !== undefined,
  );
  const server = options.server ?? env.METERPLANE_SERVER ?? stored?.server;
  const credential =
    (options.credentialFile ? stored?.credential : env.METERPLANE_CREDENTIAL) ?? stored?.credential;
  if (!server || !credential) {
    throw new UsageError(
      `no credential: run \`meterplane-collector enroll --server URL --token TOKEN\` first, or pass --server and --credential-file`,
    );
  }
  return { server: z.url().parse(server), credential };
}

function readStored(path: string, required: boolean): Partial<StoredCredential> | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if (!required && (error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new UsageError(`cannot read credential file ${path}: ${(error as Error).message}`);
  }
  if (!text.trim().startsWith("{")) return { credential: text.trim() };
  const parsed = credentialFileSchema.partial().safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new UsageError(`credential file ${path} is not valid: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}
