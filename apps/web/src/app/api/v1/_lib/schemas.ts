import { apiScopes } from "@meterplane/access";
import { rollupGranularities, sampleFormats } from "@meterplane/exports";
import { meters } from "@meterplane/wire";
import { z } from "zod";

/** The zod schemas of /api/v1: they validate every request and are the source of the OpenAPI document. */

const decimal = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/)
  .describe("an exact decimal, as a string");
const instant = z.iso.datetime().describe("ISO 8601, UTC");
const meter = z.enum(Object.keys(meters) as [keyof typeof meters, ...(keyof typeof meters)[]]);

export const scopeSchema = z.enum(apiScopes);

export const errorBody = z.object({
  error: z.object({
    code: z.string().describe("machine-readable, e.g. VALIDATION_FAILED, NOT_FOUND, RATE_LIMITED"),
    message: z.string().describe("for humans"),
    details: z.unknown().optional(),
  }),
});

const tenantFilter = {
  tenantId: z
    .uuid()
    .optional()
    .describe("operator-wide keys only: one tenant; a tenant key may only name its own"),
};
const paging = {
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(512).optional().describe("`nextCursor` of the previous page"),
};
const range = {
  from: instant.describe("inclusive start, ISO 8601 UTC"),
  to: instant.describe("exclusive end, ISO 8601 UTC"),
};

function page<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable() });
}

export const environment = z.object({
  id: z.uuid(),
  tenantId: z.uuid(),
  name: z.string(),
  kind: z.enum(["cgroup", "systemd_unit", "container", "process_tree"]),
  meters: z.array(z.string()).describe("empty: every meter"),
  createdAt: instant,
  removedAt: instant.nullable(),
});

export const usageRollup = z.object({
  tenantId: z.uuid(),
  environmentId: z.uuid(),
  meter: z.string(),
  dimensionKey: z.string().describe("canonical `k=v,k=v` of the dimensions; empty when none"),
  dimensions: z.record(z.string(), z.string()),
  bucketStart: instant,
  sum: decimal,
  count: z.string().regex(/^\d+$/),
  min: decimal,
  max: decimal,
  last: decimal,
  lastAt: instant,
  integral: decimal.describe("value × seconds, summed: the time-weighted integral of a gauge"),
  seconds: decimal,
});

export const invoice = z.object({
  id: z.uuid(),
  tenantId: z.uuid(),
  number: z.string().nullable(),
  status: z.enum(["draft", "finalized", "paid", "void", "uncollectible"]),
  currency: z.string().length(3),
  periodStart: instant,
  periodEnd: instant,
  subtotal: decimal,
  total: decimal,
  finalizedAt: instant.nullable(),
  paidAt: instant.nullable(),
  voidedAt: instant.nullable(),
});

export const invoiceLine = z.object({
  id: z.uuid(),
  tenantId: z.uuid(),
  invoiceId: z.uuid(),
  position: z.number().int(),
  description: z.string(),
  quantity: decimal,
  unitPrice: decimal,
  amount: decimal,
});

const dimensionsFilter = z
  .string()
  .regex(/^[a-z_]+:[A-Za-z0-9_.-]+(,[a-z_]+:[A-Za-z0-9_.-]+)*$/, "expected `key:value,key:value`")
  .transform((text) => Object.fromEntries(text.split(",").map((pair) => pair.split(":") as [string, string])))
  .describe("only rollups with all of these dimension values, `key:value,key:value`");

export const schemas = {
  environmentList: { query: z.object({ ...paging, ...tenantFilter }), response: page(environment) },
  environmentGet: { params: z.object({ environmentId: z.uuid() }), response: environment },
  usageList: {
    query: z.object({
      ...range,
      granularity: z.enum(rollupGranularities).default("hour"),
      environmentId: z.uuid().optional(),
      meter: meter.optional(),
      dimensions: dimensionsFilter.optional(),
      ...paging,
      ...tenantFilter,
    }),
    response: page(usageRollup),
  },
  sampleExport: {
    query: z.object({
      ...range,
      format: z.enum(sampleFormats).default("ndjson"),
      environmentId: z.uuid().optional(),
      meter: meter.optional(),
      ...tenantFilter,
    }),
  },
  invoiceList: { query: z.object({ ...paging, ...tenantFilter }), response: page(invoice) },
  invoiceGet: { params: z.object({ invoiceId: z.uuid() }), response: invoice },
  invoiceLineList: {
    params: z.object({ invoiceId: z.uuid() }),
    query: z.object(paging),
    response: page(invoiceLine),
  },
};
