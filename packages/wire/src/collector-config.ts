import { z } from "zod";
import { releaseArtifactSchema } from "./collector-release.ts";
import { meterNames } from "./meters.ts";

const integerString = z.string().regex(/^\d{1,30}$/);

/**
 * What a host hands over when an environment moves off it at `at`: its closing counter readings (keyed
 * `meter/dimensionKey`, with the kernel object they come from) and its running totals over processes and
 * sockets, and the kernel they were read on (`bootId`): they continue on the next host only when it reads
 * the same kernel objects (the same machine, or a move within it).
 */
export const environmentHandoverSchema = z.object({
  environmentId: z.uuid(),
  at: z.iso.datetime(),
  bootId: z.string().max(64),
  counters: z.record(
    z.string().max(200),
    z.object({ value: integerString, source: z.string().max(200).optional() }),
  ),
  totals: z.record(
    z.string().max(64),
    z.object({
      retired: integerString,
      live: z.record(z.string().max(64), integerString),
      parents: z.record(z.string().max(64), z.string().max(64)),
    }),
  ),
});
export type EnvironmentHandover = z.infer<typeof environmentHandoverSchema>;

/** What GET /api/v1/collector/config tells a host's collector to do. */
export const collectorConfigSchema = z.object({
  hostId: z.uuid(),
  intervalSeconds: z.number().int().min(1).max(3600),
  minimumVersion: z.string().nullable(),
  /**
   * The release to upgrade to when this collector is below `minimumVersion`: the minimum's artifact, or null
   * when that release carries none (the collector then keeps metering and spooling and says why).
   */
  release: releaseArtifactSchema.nullable().optional(),
  /**
   * The host's client policy as a whole (interval and meters are applied above, in `intervalSeconds` and each
   * environment's `meters`); null: the collector's own settings. The collector reports the version it applies.
   */
  policy: z
    .object({
      id: z.uuid(),
      version: z.number().int().positive(),
      spoolMaxBytes: z.number().int().positive(),
      transactionsUdpPort: z.number().int().min(0).max(65535).nullable(),
    })
    .nullable()
    .optional(),
  environments: z.array(
    z.object({
      id: z.uuid(),
      kind: z.enum(["cgroup", "systemd_unit", "container", "process_tree"]),
      selector: z.string(),
      meters: z.array(z.enum(meterNames as [string, ...string[]])),
      /**
       * Set when the environment moves onto this host at that instant (a tick of this host): the collector
       * meters nothing of it before, and takes its counters over from `handover` when that is the same
       * kernel object, else from its own reading at `from`.
       */
      from: z.iso.datetime().optional(),
      /** Set when the environment moves off this host at that instant: the collector's last sample ends there. */
      until: z.iso.datetime().optional(),
      /** The previous host's closing readings at `from`, once it handed them over. */
      handover: environmentHandoverSchema.nullable().optional(),
    }),
  ),
});
export type CollectorConfig = z.infer<typeof collectorConfigSchema>;

export const enrollRequestSchema = z.object({ token: z.string().min(10).max(200) }).strict();
export const enrollResponseSchema = z.object({
  hostId: z.uuid(),
  credential: z.string(),
  /**
   * The sequence the host's next batch must carry: past every batch its earlier collectors stored, which the
   * server would refuse to take again. Servers before it answered without; their hosts start at 1.
   */
  nextSequence: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  /** The operator's release public key (base64 SPKI DER) the collector checks every upgrade against. */
  releasePublicKey: z.string().optional(),
});
export type EnrollResponse = z.infer<typeof enrollResponseSchema>;

export const upgradeStates = [
  "pending",
  "downloading",
  "verified",
  "restarting",
  "restarted",
  "failed",
] as const;
export type UpgradeState = (typeof upgradeStates)[number];

/** POST /api/v1/collector/report: what the collector runs and how its upgrade stands. */
export const collectorReportSchema = z
  .object({
    version: z.string().regex(/^\d+\.\d+\.\d+$/),
    upgrade: z
      .object({
        state: z.enum(upgradeStates),
        target: z.string().regex(/^\d+\.\d+\.\d+$/),
        reason: z.string().max(1000).optional(),
      })
      .nullable(),
    /** The client policy this collector applies now (null: none, its own settings). */
    policy: z.object({ id: z.uuid(), version: z.number().int().positive() }).nullable().optional(),
  })
  .strict();
export type CollectorReport = z.infer<typeof collectorReportSchema>;
