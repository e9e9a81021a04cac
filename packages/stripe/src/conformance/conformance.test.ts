import { systemActor } from "@meterplane/db";
import { issueCreditNote, markInvoicePaid, voidInvoice } from "@meterplane/invoicing";
import { useTestDatabase } from "@meterplane/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FormValue } from "../double/form.ts";
import { endpointParams, type Shape, type StripeDouble, startStripeDouble } from "../double/index.ts";
import { syncInvoiceToStripe } from "../sync/sync-invoice-to-stripe.ts";
import { aFinalizedInvoice, stripeClientFor } from "../test/factories.ts";
import { sdkParamShapes, sdkParamsOf } from "./sdk-param-shapes.ts";

/** Names in `sub` that `sdk` does not have, or nests differently: `lines[][amout]`. */
function notInSdk(sub: Shape, sdk: Shape, path: string): string[] {
  if (sub === true || sdk === "map") return [];
  if (sub === "map") return sdk === true ? [] : [`${path} (a map here, not in the SDK)`];
  if (Array.isArray(sub))
    return Array.isArray(sdk)
      ? notInSdk(sub[0] ?? true, sdk[0] ?? true, `${path}[]`)
      : [`${path}[] (not an array in the SDK)`];
  if (sdk === true || Array.isArray(sdk)) return [`${path} (not an object in the SDK)`];
  return Object.entries(sub).flatMap(([key, inner]) => {
    const name = path ? `${path}[${key}]` : key;
    const theirs = sdk[key];
    return theirs === undefined ? [name] : notInSdk(inner, theirs, name);
  });
}

/** A request's parameters as a shape, so it is checked by the same rule. */
function shapeOfValue(value: FormValue): Shape {
  if (typeof value === "string") return true;
  if (Array.isArray(value)) return value.length ? [shapeOfValue(value[0] as FormValue)] : true;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shapeOfValue(v)]));
}

const endpointOf = (method: string, path: string) => `${method} ${path.replace(/\/(cus|in)_\w+/, "/:id")}`;

const database = useTestDatabase();
let double: StripeDouble;
let sdk: ReturnType<typeof sdkParamShapes>;
beforeAll(async () => {
  double = await startStripeDouble();
  sdk = sdkParamShapes();
});
afterAll(() => double.close());

describe("Stripe conformance with the installed SDK's types", () => {
  it("reads the SDK's parameter lists (a sanity check of the reader)", () => {
    const lines = sdk["POST /v1/invoices/:id/add_lines"]?.lines as Shape[];
    expect(lines[0]).toMatchObject({ amount: true, description: true, metadata: "map" });
    expect(sdk["POST /v1/invoices"]).toHaveProperty("discounts");
    expect(notInSdk({ lines: [{ amout: true }] }, sdk["POST /v1/invoices/:id/add_lines"] ?? {}, "")).toEqual([
      "lines[][amout]",
    ]);
  });

  it("the double takes only parameters the SDK has, so every test request passes the same check", () => {
    expect(Object.keys(endpointParams).sort()).toEqual(Object.keys(sdkParamsOf).sort());
    for (const [endpoint, shape] of Object.entries(endpointParams))
      expect(notInSdk(shape, sdk[endpoint] ?? {}, ""), endpoint).toEqual([]);
  });

  it("every request of a sync through create, credit notes, payment and void has the SDK's parameters", async () => {
    const { db } = database;
    const stripe = stripeClientFor(double);
    const actor = systemActor;
    const paid = await aFinalizedInvoice(db, {
      currency: "ISK",
      lines: [{ description: "Fee", quantity: "1", unitPrice: "5000", amount: "5000" }],
    });
    const voided = await aFinalizedInvoice(db, {
      tenantId: paid.tenant.id,
      periodStart: new Date("2026-10-01T00:00:00Z"),
      currency: "ISK",
      lines: [{ description: "Fee", quantity: "1", unitPrice: "5000", amount: "5000" }],
    });
    for (const { invoice } of [paid, voided])
      await syncInvoiceToStripe({ db, stripe, tenantId: invoice.tenantId, invoiceId: invoice.id });
    await issueCreditNote({
      db,
      tenantId: paid.tenant.id,
      invoiceId: paid.invoice.id,
      actor,
      amount: "1000",
      reason: "Outage",
    });
    await markInvoicePaid({ db, tenantId: paid.tenant.id, invoiceId: paid.invoice.id, actor });
    await voidInvoice({ db, tenantId: voided.tenant.id, invoiceId: voided.invoice.id, actor });
    await db.prisma.tenant.update({ where: { id: paid.tenant.id }, data: { email: "billing@example.com" } });
    for (const { invoice } of [paid, voided])
      await syncInvoiceToStripe({ db, stripe, tenantId: invoice.tenantId, invoiceId: invoice.id });

    const seen = new Set<string>();
    for (const request of double.requests) {
      const endpoint = endpointOf(request.method, request.path);
      seen.add(endpoint);
      const theirs = sdk[endpoint];
      expect(theirs, `${endpoint} is not an endpoint the SDK types were read for`).toBeDefined();
      expect(notInSdk(shapeOfValue(request.params), theirs ?? {}, ""), endpoint).toEqual([]);
    }
    expect([...seen].sort()).toEqual(
      expect.arrayContaining([
        "GET /v1/credit_notes",
        "GET /v1/customers/search",
        "POST /v1/credit_notes",
        "POST /v1/customers",
        "POST /v1/customers/:id",
        "POST /v1/invoices",
        "POST /v1/invoices/:id/add_lines",
        "POST /v1/invoices/:id/finalize",
        "POST /v1/invoices/:id/pay",
        "POST /v1/invoices/:id/void",
      ]),
    );
  });
});
