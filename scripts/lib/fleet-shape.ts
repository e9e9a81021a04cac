import type { Sample } from "@meterplane/wire";

/**
 * The shape of one host of a real fleet, as the fleet and fold benches simulate it: 10 environments, each
 * metered by the collector's 14 series (the eight meters, open resources by kind and data throughput by
 * direction and channel).
 */
export const environmentsPerHost = 10;

export const environmentSeries: Pick<Sample, "meter" | "dimensions">[] = [
  { meter: "cpu" },
  { meter: "memory" },
  { meter: "processes" },
  { meter: "open_files" },
  ...["file", "socket", "pipe", "other"].map((kind) => ({
    meter: "open_resources" as const,
    dimensions: { kind },
  })),
  ...[
    ["read", "disk"],
    ["write", "disk"],
    ["received", "network"],
    ["sent", "network"],
  ].map(([direction, channel]) => ({
    meter: "data_throughput" as const,
    dimensions: { direction: direction!, channel: channel! },
  })),
  { meter: "transactions" },
  { meter: "concurrent_users" },
];
