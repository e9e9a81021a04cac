import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StripeDouble, startStripeDouble } from "./server.ts";

let double: StripeDouble;
beforeAll(async () => {
  double = await startStripeDouble();
});
afterAll(() => double.close());

const post = (path: string, body: string, key?: string) =>
  fetch(`${double.url}${path}`, {
    method: "POST",
    headers: {
      authorization: "Bearer sk_test_double",
      "content-type": "application/x-www-form-urlencoded",
      ...(key ? { "idempotency-key": key } : {}),
    },
    body,
  });

describe("the Stripe double", () => {
  it("replays the stored response for the same key and parameters, in any order", async () => {
    const first = await post("/v1/customers", "name=Acme&metadata[a]=1&metadata[b]=2", "k-replay");
    const again = await post("/v1/customers", "metadata[b]=2&metadata[a]=1&name=Acme", "k-replay");
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(await first.json());
    expect(double.store.customers.size).toBe(1);
  });

  it("refuses the same key with other parameters or on another endpoint", async () => {
    await post("/v1/customers", "name=Acme", "k-conflict");
    for (const [path, body] of [
      ["/v1/customers", "name=Other"],
      ["/v1/invoices", "name=Acme"],
    ] as const) {
      const response = await post(path, body, "k-conflict");
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { type: "idempotency_error" } });
    }
  });

  it("answers Stripe-shaped errors", async () => {
    const missing = await post("/v1/invoices", "customer=cus_nobody&currency=usd");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      error: { type: "invalid_request_error", code: "resource_missing", param: "customer" },
    });
    const anonymous = await fetch(`${double.url}/v1/customers`, { method: "POST", body: "name=x" });
    expect(anonymous.status).toBe(401);
  });

  it("stores a 500 under its key and replays it, until the key expires after 24 hours", async () => {
    double.inject({ kind: "server_error", path: "^/v1/customers$" });
    const failed = await post("/v1/customers", "name=Retry", "k-fault");
    expect(failed.status).toBe(500);
    expect(failed.headers.get("stripe-should-retry")).toBe("true");
    const replayed = await post("/v1/customers", "name=Retry", "k-fault");
    expect(replayed.status).toBe(500);
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    double.advanceClock(24 * 3600);
    const fresh = await post("/v1/customers", "name=Retry", "k-fault");
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get("idempotent-replayed")).toBeNull();
  });

  it("refuses unknown parameters, unsupported currencies and amounts the currency cannot have", async () => {
    const unknown = await post("/v1/customers", "name=Acme&nmae=Acme");
    expect(await unknown.json()).toMatchObject({
      error: { code: "parameter_unknown", param: "nmae", message: "Received unknown parameter: nmae" },
    });
    const customer = (await (await post("/v1/customers", "name=Acme")).json()) as { id: string };
    const xyz = await post(
      "/v1/invoices",
      `customer=${customer.id}&currency=xyz&collection_method=send_invoice&days_until_due=30`,
    );
    expect(await xyz.json()).toMatchObject({ error: { param: "currency" } });
    const invoice = (await (
      await post(
        "/v1/invoices",
        `customer=${customer.id}&currency=isk&collection_method=send_invoice&days_until_due=30`,
      )
    ).json()) as { id: string; auto_advance: boolean };
    // Stripe's default for an invoice created through the API.
    expect(invoice.auto_advance).toBe(false);
    const fraction = await post(`/v1/invoices/${invoice.id}/add_lines`, "lines[0][amount]=1250");
    expect(fraction.status).toBe(400);
    expect(await fraction.json()).toMatchObject({
      error: { code: "invalid_charge_amount_no_decimal_compatible", param: "lines[0][amount]" },
    });
    const misspelt = await post(`/v1/invoices/${invoice.id}/add_lines`, "lines[0][amout]=1200");
    expect(await misspelt.json()).toMatchObject({ error: { param: "lines[0][amout]" } });
  });
});
