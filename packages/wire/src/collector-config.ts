import { z } from "zod";
import { meterNames } from "./meters.ts";

/** What GET /api/v1/collector/config tells a host's collector to do. */
export const collectorConfigSchema = z.object({
  hostId: z.uuid(),
  intervalSeconds: z.number().int().min(1).max(3600),
  minimumVersion: z.string().nullable(),
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
});
export type EnrollResponse = z.infer<typeof enrollResponseSchema>;
