import { parseEnv } from "@meterplane/core";
import { z } from "zod";

export const env = parseEnv(
  z.object({
    DATABASE_URL: z.string().url(),
    REDIS_URL: z.string().url(),
    /** Aggregation jobs held at once: the pool that statements draw their groups from. */
    AGGREGATE_CONCURRENCY: z.coerce.number().int().min(1).max(20_000).default(5000),
    /**
     * Aggregation transactions running at once in this process, each in a lane of its own hosts
     * (`createHostLanes`): one lane folds its window (in slices that yield) while another's upsert runs
     * in Postgres, and their upserts, of disjoint series, run side by side. More workers scale across
     * processes. Four, not two: each lane's group is a quarter of the fleet's window, so it folds and
     * commits sooner, and the lanes' turns keep the worker and Postgres both busy (`npm run bench -- fleet`,
     * one run each: at 8,000 hosts 76,370 samples/s aggregated during the offer with four, 52,740 with two;
     * at 10,000 freshness p99 59.3 s with four, 80.9 s with two, though two later runs with four had 82–86 s).
     */
    AGGREGATE_STATEMENTS: z.coerce.number().int().min(1).max(32).default(4),
    /**
     * Most batches folded by one transaction: enough for a window of the whole fleet (10,000 hosts at a
     * 10 s interval send 1,000 a second), so a group's upsert touches each series once however many
     * intervals it spans.
     */
    AGGREGATE_GROUP_MAX: z.coerce.number().int().min(1).max(100_000).default(20_000),
    /**
     * How long a group waits for its window once groups take long (see `createAggregationGroups`): with a
     * transaction's length it bounds how old the rollups get under load. 0 turns the window off. 40 s (four
     * 10 s intervals) kept 8,000 hosts up where 30 s did not (`npm run bench -- fleet`, DESIGN).
     */
    AGGREGATE_FOLD_WINDOW_MS: z.coerce.number().int().min(0).max(300_000).default(40_000),
    /** How long a stored batch may wait for its job before the sweeper enqueues it again. */
    SWEEP_AFTER_MS: z.coerce.number().int().min(0).default(30_000),
    SWEEP_EVERY_MS: z.coerce.number().int().min(100).default(10_000),
    /** How often the first open hours are checked for sealing (see `sealHours`). */
    SEAL_EVERY_MS: z.coerce.number().int().min(100).default(60_000),
    /** How long after its end an hour stays open, so that its last batches find it so (see `sealHours`). */
    SEAL_GRACE_MS: z.coerce.number().int().min(0).default(120_000),
    /** Days raw samples are kept before their daily partition is dropped (rollups are kept). */
    RETENTION_DAYS: z.coerce.number().int().min(8).default(35),
    MAINTENANCE_EVERY_MS: z.coerce.number().int().min(1000).default(3600_000),
    /** How often series are scored for anomalies and checked for silence. */
    ANOMALY_SCAN_EVERY_MS: z.coerce.number().int().min(100).default(60_000),
    /**
     * The most of the time anomaly scans may take: after each chunk of series that took t seconds a scan rests
     * t × (1/share − 1). A small fleet's scan still ends within a second or so and runs every tick.
     */
    ANOMALY_SCAN_SHARE: z.coerce.number().gt(0).max(1).default(0.2),
    /**
     * The most of the time anomaly scans may take while aggregation is behind (see `AGGREGATE_BEHIND_MS`): the
     * scan costs the worker and Postgres about as much as a fifth of a 10,000-host fleet's aggregation, and
     * rollups that bill come first. Scans then space out further; the detector learns the longer interval.
     */
    ANOMALY_SCAN_SHARE_BEHIND: z.coerce.number().gt(0).max(1).default(0.05),
    /**
     * Aggregation is behind while a batch in the worker's hands was stored longer ago than this: half the minute
     * within which rollups are to be readable.
     */
    AGGREGATE_BEHIND_MS: z.coerce.number().int().min(1).default(30_000),
    /**
     * Points a new series learns before it may alert; unset is the detector's own (64). Fewer alert sooner
     * on a new series, judged on less history; the end-to-end test runs with 20.
     */
    ANOMALY_WARMUP_POINTS: z.coerce.number().int().min(2).optional(),
    WEBHOOK_DELIVER_EVERY_MS: z.coerce.number().int().min(100).default(5_000),
    /** Port of the Prometheus `/metrics` endpoint; 0 turns it off. */
    METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
    /** How long SIGTERM waits for jobs in hand before the worker exits and leaves them to the sweeper. */
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  }),
);

export type WorkerEnv = typeof env;
