import type { ApiScope } from "@meterplane/access";
import type { z } from "zod";
import { schemas } from "./schemas";

/** One operation of /api/v1: what its route validates and what the OpenAPI document says, from one place. */
export interface Endpoint {
  operationId: string;
  path: string;
  summary: string;
  description?: string;
  /** The reference's group (an OpenAPI tag); `apiTags` describes each. */
  tag: ApiTag;
  scope: ApiScope;
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** JSON body of a 200; absent for streamed exports. */
  response?: z.ZodType;
  /** Media types of a streamed 200. */
  streams?: Record<string, string>;
}

/** The groups of the reference, in its order, each with the line it opens with. */
export const apiTags = {
  Environments: "The applications a tenant runs, each on its own hosts.",
  Usage: "Metered usage: hourly, daily or monthly rollups, and the raw samples behind them.",
  Invoices: "Invoices per billing period and the lines that make them up.",
} as const;
export type ApiTag = keyof typeof apiTags;

const listing = "Cursor-paginated: pass `nextCursor` back as `cursor` until it is null.";

export const endpoints = {
  listEnvironments: {
    operationId: "listEnvironments",
    path: "/api/v1/environments",
    summary: "List environments",
    tag: "Environments",
    description: listing,
    scope: "environments:read",
    query: schemas.environmentList.query,
    response: schemas.environmentList.response,
  },
  getEnvironment: {
    operationId: "getEnvironment",
    path: "/api/v1/environments/{environmentId}",
    summary: "Get one environment",
    tag: "Environments",
    scope: "environments:read",
    params: schemas.environmentGet.params,
    response: schemas.environmentGet.response,
  },
  listUsage: {
    operationId: "listUsage",
    path: "/api/v1/usage",
    summary: "Usage rollups by hour, day or month",
    tag: "Usage",
    description: `Rollups of the buckets (hour, day or month, UTC) that overlap [from, to): whole buckets, oldest first. Months fold daily rollups. ${listing}`,
    scope: "usage:read",
    query: schemas.usageList.query,
    response: schemas.usageList.response,
  },
  exportSamples: {
    operationId: "exportSamples",
    path: "/api/v1/samples",
    summary: "Export raw samples (streamed)",
    tag: "Usage",
    description:
      "Every raw sample that started in [from, to), streamed as NDJSON (one JSON object a line) or CSV " +
      "(with a header row), batch by batch. Any range: the response streams and is not paginated.",
    scope: "exports:read",
    query: schemas.sampleExport.query,
    streams: {
      "application/x-ndjson": "one sample a line",
      "text/csv": "tenantId,environmentId,meter,start,seconds,value,dimensions",
    },
  },
  listInvoices: {
    operationId: "listInvoices",
    path: "/api/v1/invoices",
    summary: "List invoices",
    tag: "Invoices",
    description: `Newest period first. Tenant keys see invoices once finalized. ${listing}`,
    scope: "invoices:read",
    query: schemas.invoiceList.query,
    response: schemas.invoiceList.response,
  },
  getInvoice: {
    operationId: "getInvoice",
    path: "/api/v1/invoices/{invoiceId}",
    summary: "Get one invoice",
    tag: "Invoices",
    scope: "invoices:read",
    params: schemas.invoiceGet.params,
    response: schemas.invoiceGet.response,
  },
  listInvoiceLines: {
    operationId: "listInvoiceLines",
    path: "/api/v1/invoices/{invoiceId}/lines",
    summary: "List the lines of an invoice",
    tag: "Invoices",
    description: listing,
    scope: "invoices:read",
    params: schemas.invoiceLineList.params,
    query: schemas.invoiceLineList.query,
    response: schemas.invoiceLineList.response,
  },
} satisfies Record<string, Endpoint>;
