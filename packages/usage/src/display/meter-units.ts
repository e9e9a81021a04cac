import type { MeterName } from "@meterplane/wire";

export interface DisplayUnit {
  unit: string;
  /** Stored value ÷ divisor = value in `unit`. */
  divisor: number;
  /** The smallest stored magnitude read in this unit; below it the next smaller unit takes over. */
  from: number;
}

export interface MeterDisplay {
  title: string;
  /** The units the meter is read in, smallest first; `displayUnit` picks one for a set of values. */
  units: DisplayUnit[];
}

const ladder = (names: string[], base: number): DisplayUnit[] =>
  names.map((unit, i) => ({ unit, divisor: base ** i, from: i === 0 ? 0 : base ** i }));
const count = (unit: string): DisplayUnit[] => [{ unit, divisor: 1, from: 0 }];

/**
 * The one mapping from a meter to the units it is shown in, for every chart and figure: CPU in core-hours
 * (what plans bill) down to a hundredth of one, core-seconds below; memory in binary units (as memory is
 * sized: KiB … TiB); traffic in decimal ones (as it is billed: KB … TB); the rest as counts. Scaling the unit
 * to the magnitude keeps figures readable: 2.67 KB, never 2.67E-6 GB.
 */
export const meterDisplay: Record<MeterName, MeterDisplay> = {
  cpu: {
    title: "CPU",
    units: [
      { unit: "core-seconds", divisor: 1, from: 0 },
      { unit: "core-hours", divisor: 3600, from: 36 },
    ],
  },
  memory: { title: "Memory", units: ladder(["B", "KiB", "MiB", "GiB", "TiB", "PiB"], 1024) },
  processes: { title: "Processes", units: count("processes") },
  open_files: { title: "Open files", units: count("open files") },
  open_resources: { title: "Open resources", units: count("descriptors") },
  data_throughput: { title: "Data throughput", units: ladder(["B", "KB", "MB", "GB", "TB", "PB"], 1000) },
  transactions: { title: "Transactions", units: count("transactions") },
  concurrent_users: { title: "Concurrent users", units: count("users") },
};

/** The unit to read a meter's values in: the largest whose threshold the largest magnitude reaches. */
export function displayUnit(meter: MeterName, largest: number): DisplayUnit {
  const { units } = meterDisplay[meter];
  const magnitude = Math.abs(largest);
  return units.findLast((u) => magnitude >= u.from) ?? (units[0] as DisplayUnit);
}
