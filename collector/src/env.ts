import { z } from "zod";

/** Environment variables, parsed once at start-up; a bad value fails fast with its name. */
const envSchema = z.object({
  METERPLANE_STATE_DIR: z.string().min(1).default("/var/lib/meterplane-collector"),
  METERPLANE_SERVER: z.url().optional(),
  METERPLANE_CREDENTIAL: z.string().min(1).optional(),
  METERPLANE_SPOOL_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(256 * 1024 * 1024),
  METERPLANE_TRANSACTIONS_PORT: z.coerce.number().int().min(0).max(65535).default(8125),
  METERPLANE_TRANSACTIONS_SOCKET: z.string().min(1).default("/run/meterplane-collector/transactions.sock"),
  METERPLANE_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});
export type CollectorEnv = z.infer<typeof envSchema>;

export function parseEnv(env: NodeJS.ProcessEnv = process.env): CollectorEnv {
  const parsed = envSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`environment variable ${issue?.path.join(".")} is invalid: ${issue?.message}`);
}
