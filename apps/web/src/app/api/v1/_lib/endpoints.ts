import type { ApiScope } from "@meterplane/access";
import type { z } from "zod";
import { schemas } from "./schemas";

/** One operation of /api/v1: what its route validates and what the OpenAPI document says, from one place. */
export interface Endpoint {
  operationId: string;
  path: string;
  summary: string;
  description?: string;
  scope: ApiScope;
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** JSON body of a 200; absent for streamed exports. */
  response?: z.ZodType;
  /** Media types of a streamed 200. */
  streams?: Record<string, string>;
}

const listing = "Cursor-paginated: pass `nextCursor` back as `cursor` until it is null.";

export const endpoints = {
  listEnvironments: {
    operationId: "listEnvironments",
    path: "/api/v1/environments",
    summary: "List environments",
    description: listing,
    scope: "environments:read",
    query: schemas.environmentList.query,
    response: schemas.environmentList.response,
  },
  getEnvironment: {
    operationId: "getEnvironment",
    path: "/api/v1/environments/{environmentId}",
    summary: "Get one environment",
    scope: "environments:read",
    params: schemas.environmentGet.params,
    response: schemas.environmentGet.response,
  },
  listUsage: {
    operationId: "listUsage",
    path: "/api/v1/usage",
    summary: "Usage rollups by hour, day or month",
    description: `Rollups of the buckets (hour, day or month, UTC) that overlap [from, to): whole buckets, oldest first. Months fold daily rollups. ${listing}`,
    scope: "usage:read",
    query: schemas.usageList.query,
    response: schemas.usageList.response,
  },
  exportSamples: {
    operationId: "exportSamples",
    path: "/api/v1/samples",
    summary: "Export raw samples (streamed)",
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
    description: `Newest period first. Tenant keys see invoices once finalized. ${listing}`,
    scope: "invoices:read",
    query: schemas.invoiceList.query,
    response: schemas.invoiceList.response,
  },
  getInvoice: {
    operationId: "getInvoice",
    path: "/api/v1/invoices/{invoiceId}",
    summary: "Get one invoice",
    scope: "invoices:read",
    params: schemas.invoiceGet.params,
    response: schemas.invoiceGet.response,
  },
  listInvoiceLines: {
    operationId: "listInvoiceLines",
    path: "/api/v1/invoices/{invoiceId}/lines",
    summary: "List the lines of an invoice",
    description: listing,
    scope: "invoices:read",
    params: schemas.invoiceLineList.params,
    query: schemas.invoiceLineList.query,
    response: schemas.invoiceLineList.response,
  },
} satisfies Record<string, Endpoint>;
