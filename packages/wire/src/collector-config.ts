import { z } from "zod";
import { releaseArtifactSchema } from "./collector-release.ts";
import { meterNames } from "./meters.ts";

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
