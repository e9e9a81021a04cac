import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import ts from "typescript";
import type { Shape } from "../double/params.ts";

/** Which of the installed SDK's parameter interfaces each endpoint the sync calls takes. */
export const sdkParamsOf: Record<string, [file: string, name: string]> = {
  "POST /v1/customers": ["Customers", "CustomerCreateParams"],
  "POST /v1/customers/:id": ["Customers", "CustomerUpdateParams"],
  "GET /v1/customers/:id": ["Customers", "CustomerRetrieveParams"],
  "GET /v1/customers/search": ["Customers", "CustomerSearchParams"],
  "POST /v1/invoices": ["Invoices", "InvoiceCreateParams"],
  "GET /v1/invoices": ["Invoices", "InvoiceListParams"],
  "GET /v1/invoices/:id": ["Invoices", "InvoiceRetrieveParams"],
  "DELETE /v1/invoices/:id": ["Invoices", "InvoiceDeleteParams"],
  "POST /v1/invoices/:id/add_lines": ["Invoices", "InvoiceAddLinesParams"],
  "POST /v1/invoices/:id/finalize": ["Invoices", "InvoiceFinalizeInvoiceParams"],
  "POST /v1/invoices/:id/pay": ["Invoices", "InvoicePayParams"],
  "POST /v1/invoices/:id/void": ["Invoices", "InvoiceVoidInvoiceParams"],
  "POST /v1/invoices/:id/mark_uncollectible": ["Invoices", "InvoiceMarkUncollectibleParams"],
  "POST /v1/credit_notes": ["CreditNotes", "CreditNoteCreateParams"],
  "GET /v1/credit_notes": ["CreditNotes", "CreditNoteListParams"],
};

/**
 * The parameter names and nesting of those interfaces, read from the installed `stripe` package's
 * declaration files with the TypeScript compiler: what this version of the SDK (generated from Stripe's
 * OpenAPI specification) says each endpoint takes. Nested objects and arrays of objects are followed a few
 * levels down; a string-keyed record (metadata) is a `"map"`.
 */
export function sdkParamShapes(): Record<string, { [key: string]: Shape }> {
  const require = createRequire(import.meta.url);
  // The package's exports hide its files; its entry point sits in `cjs/`, beside `esm/`.
  const esm = join(dirname(require.resolve("stripe")), "..", "esm", "resources");
  const files = [...new Set(Object.values(sdkParamsOf).map(([file]) => join(esm, `${file}.d.ts`)))];
  const program = ts.createProgram(files, { noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const shapes: Record<string, { [key: string]: Shape }> = {};
  for (const [endpoint, [file, name]] of Object.entries(sdkParamsOf)) {
    const source = program.getSourceFile(join(esm, `${file}.d.ts`));
    const module = source && checker.getSymbolAtLocation(source);
    const symbol = module && checker.getExportsOfModule(module).find((s) => s.name === name);
    if (!symbol) throw new Error(`the stripe SDK declares no ${name} in ${file}.d.ts`);
    shapes[endpoint] = objectShape(checker, checker.getDeclaredTypeOfSymbol(symbol), 0);
  }
  return shapes;
}

function objectShape(checker: ts.TypeChecker, type: ts.Type, depth: number): { [key: string]: Shape } {
  const shape: { [key: string]: Shape } = {};
  for (const property of checker.getPropertiesOfType(type)) {
    const declaration = property.valueDeclaration ?? property.declarations?.[0];
    if (!declaration) continue;
    shape[property.name] = shapeOf(
      checker,
      checker.getTypeOfSymbolAtLocation(property, declaration),
      depth + 1,
    );
  }
  return shape;
}

function shapeOf(checker: ts.TypeChecker, type: ts.Type, depth: number): Shape {
  // `Emptyable<T>` and optional properties are unions with '', null and undefined: the object part decides.
  const parts = type.isUnion() ? type.types : [type];
  const array = parts.find((t) => checker.isArrayType(t));
  if (array) {
    const [element] = checker.getTypeArguments(array as ts.TypeReference);
    return [element ? shapeOf(checker, element, depth + 1) : true];
  }
  const object = parts.find((t) => t.flags & ts.TypeFlags.Object);
  if (!object || depth > 5) return true;
  if (checker.getIndexInfosOfType(object).length && !checker.getPropertiesOfType(object).length) return "map";
  return objectShape(checker, object, depth);
}
