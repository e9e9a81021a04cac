import type { MeterKind, MeterName } from "@meterplane/wire";
import type { Scope } from "../environments/scope.ts";

/**
 * One reading of a meter: a raw integer in the meter's unit × 10^scale, with its dimensions (if any).
 * `source` names the kernel object a counter comes from (a cgroup's inode); a counter whose source
 * changed restarted from zero, whatever its value.
 */
export interface MeterReading {
  value: bigint;
  dimensions?: Record<string, string>;
  source?: string;
}

/**
 * One meter: how to read its raw values for a scope, and the scale that turns them into the wire's unit
 * (cpu is read in microseconds and sent in core-seconds: scale 6). A counter's reading is a running total
 * the sampler turns into deltas, unless `delta` is set: then the reading is already what was counted
 * since the previous read (reports the collector received itself). A gauge's is the level now.
 * null: not measurable in this scope now.
 */
export interface Meter {
  name: MeterName;
  kind: MeterKind;
  scale: number;
  delta?: boolean;
  read(scope: Scope): MeterReading[] | null;
}
