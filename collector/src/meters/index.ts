import { isMeterName, type MeterName } from "@meterplane/wire";
import { cpuMeter } from "./cpu.ts";
import { memoryMeter } from "./memory.ts";
import type { Meter } from "./meter.ts";
import { processesMeter } from "./processes.ts";

export type { Meter } from "./meter.ts";

/** The meters this collector can read; the rest of the eight join this registry as they are built. */
export const meterRegistry: Partial<Record<MeterName, Meter>> = {
  cpu: cpuMeter,
  memory: memoryMeter,
  processes: processesMeter,
};

export function findMeter(name: string): Meter | undefined {
  return isMeterName(name) ? meterRegistry[name] : undefined;
}
