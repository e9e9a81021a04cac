/**
 * The eight meters. A gauge is a level at an instant; a counter is a total whose increments the
 * collector sends as deltas over the sample's interval. See DESIGN.md for what each one measures.
 */
export const meters = {
  cpu: { kind: "counter", unit: "core-seconds" },
  memory: { kind: "gauge", unit: "bytes" },
  processes: { kind: "gauge", unit: "count" },
  open_files: { kind: "gauge", unit: "count" },
  open_resources: { kind: "gauge", unit: "count" },
  data_throughput: { kind: "counter", unit: "bytes" },
  transactions: { kind: "counter", unit: "count" },
  concurrent_users: { kind: "gauge", unit: "count" },
} as const;

export type MeterName = keyof typeof meters;
export type MeterKind = (typeof meters)[MeterName]["kind"];
export const meterNames = Object.keys(meters) as MeterName[];

export function isMeterName(name: string): name is MeterName {
  return Object.hasOwn(meters, name);
}
