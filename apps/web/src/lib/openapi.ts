import { apiScopes } from "@meterplane/access";
import { batchSchema, flatBatchSchema, maxSamplesPerBatch } from "@meterplane/wire";
import { z } from "zod";
import { apiTags, type Endpoint, endpoints } from "../app/api/v1/_lib/endpoints";
import { errorBody } from "../app/api/v1/_lib/schemas";

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, target: "draft-2020-12" });
  return rest;
}

/** Path and query parameters from the zod object the route parses them with (its input side). */
function parameters(schema: z.ZodObject | undefined, where: "path" | "query") {
  if (!schema) return [];
  const object = jsonSchema(schema, "input") as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === "path" || (object.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

const rateLimitHeaders = Object.fromEntries(
  ["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"].map((name) => [
    name,
    { schema: { type: "integer" }, description: "per API key, fixed one-minute window" },
  ]),
);

const errorResponse = (description: string) => ({
  description,
  headers: rateLimitHeaders,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

function operation(endpoint: Endpoint) {
  const success = endpoint.response
    ? {
        description: "OK",
        headers: { ...rateLimitHeaders, ETag: { schema: { type: "string" } } },
        content: { "application/json": { schema: jsonSchema(endpoint.response, "output") } },
      }
    : {
        description: "a stream",
        headers: rateLimitHeaders,
        content: Object.fromEntries(
          Object.entries(endpoint.streams ?? {}).map(([type, description]) => [
            type,
            { schema: { type: "string", description } },
          ]),
        ),
      };
  return {
    operationId: endpoint.operationId,
    tags: [endpoint.tag],
    summary: endpoint.summary,
    description: `${endpoint.description ?? ""}\n\nScope: \`${endpoint.scope}\`.`.trim(),
    parameters: [...parameters(endpoint.params, "path"), ...parameters(endpoint.query, "query")],
    responses: {
      "200": success,
      ...(endpoint.response ? { "304": { description: "unchanged since the ETag in If-None-Match" } } : {}),
      "400": errorResponse("invalid parameters (VALIDATION_FAILED)"),
      "401": errorResponse("no API key, or an unknown or revoked one (UNAUTHENTICATED)"),
      "403": errorResponse("the key lacks the scope, or names another tenant (FORBIDDEN)"),
      ...(endpoint.params ? { "404": errorResponse("not found for this key's tenant (NOT_FOUND)") } : {}),
      "429": {
        ...errorResponse("rate limit reached (RATE_LIMITED)"),
        headers: { ...rateLimitHeaders, "Retry-After": { schema: { type: "integer" } } },
      },
    },
  };
}

/**
 * The bodies collectors POST to /api/v1/ingest, described here as schemas rather than as an operation: the
 * caller is a host's collector with its host credential, not an API client with a key. Described by their
 * output side, which equals the input but for `dimensions`: its input side is `unknown` (checked for a
 * "__proto__" key before it is read as a record), which would document nothing.
 */
const ingestSchemas = {
  IngestBatch: {
    ...jsonSchema(batchSchema, "output"),
    description:
      "The body of POST /api/v1/ingest (JSON, optionally gzip): a host's samples grouped into series. " +
      "Point i of a series started at starts[i], lasted seconds[i] (≤ 3600) and measured values[i] (an exact " +
      "decimal string); the three arrays are equally long, and a batch holds at most " +
      `${maxSamplesPerBatch} points over all its series. sequence increases by one per batch of a host; a ` +
      "replay of a stored batch is acknowledged as a duplicate, other samples under a used sequence are " +
      "refused (409 SEQUENCE_REUSED).",
  },
  IngestFlatBatch: {
    ...jsonSchema(flatBatchSchema, "output"),
    description: "The same body as one sample per point: what collectors before 0.2.0 send, still accepted.",
  },
};

/** The OpenAPI 3.1 document of /api/v1, generated from the zod schemas the routes validate with. */
export function openApiDocument() {
  const paths: Record<string, { get: ReturnType<typeof operation> }> = {};
  for (const endpoint of Object.values(endpoints) as Endpoint[])
    paths[endpoint.path] = { get: operation(endpoint) };
  return {
    openapi: "3.1.0",
    info: {
      title: "Meterplane API",
      version: "1.0.0",
      description:
        "Read a tenant's environments, usage, raw samples and invoices. Authenticate with an API key " +
        "(`Authorization: Bearer mpk_…`); a tenant key reads only its tenant, an operator-wide key every " +
        `tenant. Scopes: ${apiScopes.map((s) => `\`${s}\``).join(", ")}. Every error is ` +
        "`{ error: { code, message } }`. JSON reads carry an ETag; send it as If-None-Match to get 304. " +
        "Collectors send samples to POST /api/v1/ingest with their host credential (`Bearer mpc_…`), the " +
        "body an `IngestBatch` (series); collectors before 0.2.0 send an `IngestFlatBatch`, still accepted.",
    },
    tags: Object.entries(apiTags).map(([name, description]) => ({ name, description })),
    servers: [{ url: "/" }],
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "mpk_<prefix>_<secret>" } },
      schemas: { Error: jsonSchema(errorBody, "output"), ...ingestSchemas },
    },
    paths,
  };
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;
