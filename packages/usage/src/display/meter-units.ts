import type { MeterName } from "@meterplane/wire";

export interface MeterDisplay {
  /** The unit people read, e.g. core-hours for CPU measured in core-seconds. */
  unit: string;
  /** Stored value ÷ divisor = value in `unit`. */
  divisor: number;
  title: string;
}

/**
 * The one mapping from a meter to the unit it is shown in, for every chart and figure: CPU in core-hours
 * (what plans bill), memory in GiB (binary, as memory is sized), traffic in GB (decimal, as it is billed),
 * the rest as counts.
 */
export const meterDisplay: Record<MeterName, MeterDisplay> = {
  cpu: { unit: "core-hours", divisor: 3600, title: "CPU" },
  memory: { unit: "GiB", divisor: 1024 ** 3, title: "Memory" },
  processes: { unit: "processes", divisor: 1, title: "Processes" },
  open_files: { unit: "open files", divisor: 1, title: "Open files" },
  open_resources: { unit: "descriptors", divisor: 1, title: "Open resources" },
  data_throughput: { unit: "GB", divisor: 1e9, title: "Data throughput" },
  transactions: { unit: "transactions", divisor: 1, title: "Transactions" },
  concurrent_users: { unit: "users", divisor: 1, title: "Concurrent users" },
};
