import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

type Json = Record<string, unknown>;
const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** Replaces local `$ref`s by what they point at, so each schema compiles on its own. */
export function resolveRefs(doc: Json, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveRefs(doc, v));
  if (!value || typeof value !== "object") return value;
  const ref = (value as Json).$ref;
  if (typeof ref === "string") {
    const target = ref
      .replace(/^#\//, "")
      .split("/")
      .reduce<unknown>((node, key) => (node as Json | undefined)?.[key], doc);
    if (target === undefined) throw new Error(`unresolved $ref ${ref}`);
    return resolveRefs(doc, target);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(doc, v)]));
}

function schemasIn(value: unknown, found: unknown[] = []): unknown[] {
  if (Array.isArray(value)) for (const v of value) schemasIn(v, found);
  else if (value && typeof value === "object")
    for (const [key, v] of Object.entries(value)) {
      if (key === "schema") found.push(v);
      else schemasIn(v, found);
    }
  return found;
}

/**
 * The parts of the OAS 3.1 meta-schema that can be checked offline: the document's structure (version,
 * info, paths, operations, parameters, responses, security) and every schema in it compiled by ajv as
 * JSON Schema 2020-12, OAS 3.1's dialect. Returns the problems found; empty means valid.
 */
export function checkOpenApi(doc: Json): { problems: string[]; ajv: Ajv2020 } {
  const problems: string[] = [];
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats.default(ajv);
  if (typeof doc.openapi !== "string" || !/^3\.1\.\d+$/.test(doc.openapi))
    problems.push("openapi must be 3.1.x");
  const info = doc.info as Json | undefined;
  if (typeof info?.title !== "string" || typeof info?.version !== "string")
    problems.push("info needs title and version");
  const schemes = ((doc.components as Json | undefined)?.securitySchemes ?? {}) as Json;
  for (const requirement of (doc.security ?? []) as Json[])
    for (const name of Object.keys(requirement))
      if (!schemes[name]) problems.push(`unknown security scheme ${name}`);
  const operationIds = new Set<string>();
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
    if (!path.startsWith("/")) problems.push(`${path}: paths start with /`);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const [method, op] of Object.entries(item) as [string, Json][]) {
      if (!methods.includes(method)) problems.push(`${path}: unknown method ${method}`);
      const where = `${method.toUpperCase()} ${path}`;
      const id = op.operationId as string;
      if (operationIds.has(id)) problems.push(`${where}: duplicate operationId ${id}`);
      operationIds.add(id);
      const parameters = (op.parameters ?? []) as Json[];
      for (const p of parameters) {
        if (typeof p.name !== "string" || !["query", "path", "header", "cookie"].includes(p.in as string))
          problems.push(`${where}: parameter needs name and a valid in`);
        if (!p.schema) problems.push(`${where}: parameter ${p.name} has no schema`);
        if (p.in === "path" && p.required !== true)
          problems.push(`${where}: path parameter ${p.name} must be required`);
      }
      for (const name of templated)
        if (!parameters.some((p) => p.in === "path" && p.name === name))
          problems.push(`${where}: {${name}} is not declared`);
      const responses = (op.responses ?? {}) as Record<string, Json>;
      if (!Object.keys(responses).length) problems.push(`${where}: no responses`);
      for (const [status, response] of Object.entries(responses)) {
        if (!/^[1-5](\d\d|XX)$|^default$/.test(status)) problems.push(`${where}: bad status ${status}`);
        if (typeof response.description !== "string") problems.push(`${where} ${status}: no description`);
      }
    }
  }
  for (const schema of schemasIn(doc)) {
    try {
      ajv.compile(resolveRefs(doc, schema) as Json);
    } catch (error) {
      problems.push(`schema does not compile: ${(error as Error).message}`);
    }
  }
  return { problems, ajv };
}

/** The documented schema of one operation's response, compiled. */
export function responseValidator(
  doc: Json,
  ajv: Ajv2020,
  path: string,
  status: number,
): ValidateFunction | undefined {
  const op = ((doc.paths as Record<string, Json>)[path]?.get ?? {}) as Json;
  const response = (op.responses as Record<string, Json> | undefined)?.[String(status)];
  const schema = (response?.content as Record<string, Json> | undefined)?.["application/json"]?.schema;
  return schema ? ajv.compile(resolveRefs(doc, schema) as Json) : undefined;
}
