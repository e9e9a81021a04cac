import { randomUUID } from "node:crypto";
import { dimensionKey, meters } from "@meterplane/wire";
import { type CgroupLayout, detectCgroupLayout } from "../cgroup/layout.ts";
import { formatScaled } from "../decimal.ts";
import type { EnvironmentConfig } from "../environments/scope.ts";
import { sleep } from "../http.ts";
import type { Logger } from "../log.ts";
import { meterRegistry } from "../meters/index.ts";
import { Sampler } from "../sampler.ts";
import { emptyState } from "../state.ts";

export interface OnceResult {
  meter: string;
  kind: "counter" | "gauge";
  dimensions?: Record<string, string>;
  value: string;
  unit: string;
}

/**
 * Measures one environment over a window, without a server: counters as their growth over the window,
 * gauges as their level at its end. Uses the same meters and sampler as `run`, so it is a faithful check.
 * No endpoint runs, so transactions are not measured here.
 */
export async function measureOnce(options: {
  kind: EnvironmentConfig["kind"];
  selector: string;
  windowSeconds: number;
  log: Logger;
  layout?: CgroupLayout;
}): Promise<OnceResult[]> {
  const env: EnvironmentConfig = {
    id: randomUUID(),
    kind: options.kind,
    selector: options.selector,
    meters: Object.keys(meterRegistry).filter((name) => name !== "transactions"),
  };
  const sampler = new Sampler(emptyState(), options.layout ?? detectCgroupLayout(), options.log);
  const before = sampler.observe([env]).get(env);
  if (!before) throw new Error(`environment ${options.kind} "${options.selector}" not found on this host`);
  await sleep(options.windowSeconds * 1000);
  const after = sampler.observe([env]).get(env);
  if (!after)
    throw new Error(`environment ${options.kind} "${options.selector}" disappeared during the window`);
  return after.map(({ meter, value, dimensions, source }) => {
    const first = before.find(
      (r) => r.meter === meter && dimensionKey(r.dimensions) === dimensionKey(dimensions),
    );
    const restarted = !first || value < first.value || first.source !== source;
    const delta = meter.kind === "counter" ? (restarted ? value : value - first.value) : value;
    return {
      meter: meter.name,
      kind: meter.kind,
      ...(dimensions ? { dimensions } : {}),
      value: formatScaled(delta, meter.scale),
      unit: meters[meter.name].unit,
    };
  });
}
