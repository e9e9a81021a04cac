import { isMeterName, type MeterName } from "@meterplane/wire";
import { concurrentUsersMeter } from "./concurrent-users.ts";
import { cpuMeter } from "./cpu.ts";
import { dataThroughputMeter } from "./data-throughput.ts";
import { openFilesMeter, openResourcesMeter } from "./descriptors.ts";
import { memoryMeter } from "./memory.ts";
import type { Meter } from "./meter.ts";
import { processesMeter } from "./processes.ts";
import { transactionsMeter } from "./transactions.ts";

export type { Meter, MeterReading } from "./meter.ts";

/** The eight meters of DESIGN.md. */
export const meterRegistry: Record<MeterName, Meter> = {
  cpu: cpuMeter,
  memory: memoryMeter,
  processes: processesMeter,
  open_files: openFilesMeter,
  open_resources: openResourcesMeter,
  data_throughput: dataThroughputMeter,
  concurrent_users: concurrentUsersMeter,
  transactions: transactionsMeter,
};

export function findMeter(name: string): Meter | undefined {
  return isMeterName(name) ? meterRegistry[name] : undefined;
}
