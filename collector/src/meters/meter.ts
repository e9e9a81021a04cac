import type { MeterKind, MeterName } from "@meterplane/wire";
import type { Scope } from "../environments/scope.ts";

/**
 * One meter: how to read its raw integer value for a scope, and the scale that turns it into the wire's
 * unit (cpu is read in microseconds and sent in core-seconds: scale 6). A counter's reading is a running
 * total the sampler turns into deltas; a gauge's is the level now. null: not measurable in this scope now.
 */
export interface Meter {
  name: MeterName;
  kind: MeterKind;
  scale: number;
  read(scope: Scope): Promise<bigint | null>;
}
