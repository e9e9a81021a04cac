import type { RatePeriodInput } from "../invoices/rate-period-input.ts";

type ChargeInput = RatePeriodInput["charges"][number];
type MetricInput = NonNullable<ChargeInput["metric"]>;
type RollupInput = NonNullable<RatePeriodInput["rollups"]>[string][number];

/** One hourly rollup of environment `env-a`, all figures zero unless given. */
export function rollup(overrides: Partial<RollupInput> = {}): RollupInput {
  return {
    environmentId: "env-a",
    meter: "cpu",
    dimensions: {},
    bucketStart: new Date("2024-03-01T00:00:00Z"),
    granularity: "hour",
    sum: "0",
    max: "0",
    last: "0",
    lastAt: new Date("2024-03-01T00:59:59Z"),
    integral: "0",
    seconds: "3600",
    ...overrides,
  };
}

export function metric(overrides: Partial<MetricInput> = {}): MetricInput {
  return { code: "cpu_hours", name: "CPU core-hours", aggregation: "sum", unit: "core-hour", ...overrides };
}

export function usageCharge(overrides: Partial<ChargeInput> = {}): ChargeInput {
  return {
    id: "charge-cpu",
    model: "per_unit",
    properties: { unitPrice: "0.05" },
    metric: metric(),
    ...overrides,
  };
}

export function flatCharge(overrides: Partial<ChargeInput> = {}): ChargeInput {
  return {
    id: "charge-base",
    name: "Platform fee",
    model: "flat",
    properties: { amount: "31" },
    metric: null,
    ...overrides,
  };
}

/** March 2024 (31 days), a subscription active all month, USD, no charges unless given. */
export function rateInput(overrides: Partial<RatePeriodInput> = {}): RatePeriodInput {
  return {
    currency: "USD",
    period: { start: new Date("2024-03-01T00:00:00Z"), end: new Date("2024-04-01T00:00:00Z") },
    subscription: { startAt: new Date("2024-01-01T00:00:00Z") },
    charges: [],
    rollups: {},
    ...overrides,
  };
}
