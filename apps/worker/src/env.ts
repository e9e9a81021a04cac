import { parseEnv } from "@meterplane/core";
import { z } from "zod";

export const env = parseEnv(
  z.object({
    DATABASE_URL: z.string().url(),
    REDIS_URL: z.string().url(),
    AGGREGATE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    /** How long a stored batch may wait for its job before the sweeper enqueues it again. */
    SWEEP_AFTER_MS: z.coerce.number().int().min(0).default(30_000),
    SWEEP_EVERY_MS: z.coerce.number().int().min(100).default(10_000),
  }),
);
