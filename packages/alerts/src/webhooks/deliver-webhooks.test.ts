import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { withTransaction } from "@meterplane/db";
import { aMeteredTenant, aTenant, useTestDatabase } from "@meterplane/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAnomaly } from "../scan/record-anomaly.ts";
import { deliverWebhooks } from "./deliver-webhooks.ts";
import { createWebhookEndpoint, sendTestWebhook } from "./manage-endpoints.ts";
import { signatureHeader, timestampHeader, verifyWebhook } from "./sign-webhook.ts";

const t = useTestDatabase();

/** A local receiver: answers each path with the statuses queued for it (then 200), and keeps what came. */
const received: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
const answers = new Map<string, number[]>();
const server = createServer((request, response) => {
  let body = "";
  request.on("data", (chunk) => {
    body += chunk;
  });
  request.on("end", () => {
    const path = request.url ?? "/";
    received.push({ path, headers: request.headers, body });
    response.writeHead(answers.get(path)?.shift() ?? 200).end();
  });
});
let base = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const at = (path: string) => received.filter((r) => r.path === path);

describe("anomaly webhooks", () => {
  it("post each anomaly once, signed, to the operators' and its own tenant's endpoints, retrying a failure", async () => {
    const { tenant, environment } = await aMeteredTenant(t.db);
    const other = await aTenant(t.db);
    const operator = await createWebhookEndpoint({ db: t.db, tenantId: null, url: `${base}/operator` });
    const own = await createWebhookEndpoint({ db: t.db, tenantId: tenant.id, url: `${base}/own` });
    await createWebhookEndpoint({ db: t.db, tenantId: other.id, url: `${base}/other` });
    answers.set("/own", [500]);

    const id = randomUUID();
    const now = new Date("2026-12-05T10:00:00Z");
    await withTransaction(t.db.pool, (client) =>
      recordAnomaly(client, {
        id,
        tenantId: tenant.id,
        environmentId: environment.id,
        meter: "cpu",
        dimensionKey: "",
        kind: "level_shift",
        score: 0.9,
        value: 4,
        windowStart: now,
        windowEnd: new Date(now.getTime() + 60_000),
        detectedAt: now,
      }),
    );

    let clock = Date.now();
    const first = await deliverWebhooks({ db: t.db, now: () => new Date(clock) });
    expect(first).toEqual({ delivered: 1, failed: 1 });
    // Not due yet: the failed one waits for its backoff.
    expect(await deliverWebhooks({ db: t.db, now: () => new Date(clock) })).toEqual({
      delivered: 0,
      failed: 0,
    });
    clock += 6_000;
    expect(await deliverWebhooks({ db: t.db, now: () => new Date(clock) })).toEqual({
      delivered: 1,
      failed: 0,
    });
    clock += 3_600_000;
    expect(await deliverWebhooks({ db: t.db, now: () => new Date(clock) })).toEqual({
      delivered: 0,
      failed: 0,
    });

    expect(at("/operator")).toHaveLength(1);
    expect(at("/own")).toHaveLength(2);
    expect(at("/other")).toHaveLength(0);
    for (const [path, secret] of [
      ["/operator", operator.secret],
      ["/own", own.secret],
    ] as const) {
      const { headers, body } = at(path).at(-1)!;
      expect(JSON.parse(body)).toMatchObject({
        type: "anomaly",
        id,
        kind: "level_shift",
        environmentId: environment.id,
      });
      const signed = {
        timestamp: headers[timestampHeader] as string,
        signature: headers[signatureHeader] as string,
      };
      expect(verifyWebhook(secret, signed, body)).toBe(true);
      expect(verifyWebhook("whsec_wrong", signed, body)).toBe(false);
      expect(verifyWebhook(secret, signed, body.replace("level_shift", "spike"))).toBe(false);
    }
    const log = await t.db.prisma.webhookDelivery.findFirstOrThrow({
      where: { endpointId: own.id, anomalyId: id },
    });
    expect(log).toMatchObject({ status: "delivered", attempts: 2, responseCode: 200 });
  });

  it("send a signed test message from the endpoint's test button, and give up after the last attempt", async () => {
    const endpoint = await createWebhookEndpoint({ db: t.db, tenantId: null, url: `${base}/down` });
    answers.set("/down", [503, 503, 503]);
    const settings = {
      maxAttempts: 3,
      backoffBaseMs: 1000,
      backoffMaxMs: 1000,
      timeoutMs: 5000,
      leaseMs: 1000,
      batch: 10,
    };
    const delivery = await sendTestWebhook({ db: t.db, endpointId: endpoint.id });
    let clock = Date.now();
    for (let attempt = 0; attempt < 4; attempt++) {
      await deliverWebhooks({ db: t.db, now: () => new Date(clock), settings });
      clock += 2_000;
    }
    expect(at("/down")).toHaveLength(3);
    expect(JSON.parse(at("/down")[0]!.body)).toMatchObject({ type: "test", endpointId: endpoint.id });
    const log = await t.db.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
    expect(log).toMatchObject({ status: "failed", attempts: 3, responseCode: 503, lastError: "HTTP 503" });
  });
});
