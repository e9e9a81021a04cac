import { createHmac, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { advanceClock, setCoupon, setDefaultPaymentMethod } from "./collection.ts";
import { StripeDoubleError } from "./errors.ts";
import { canonical, type FormObject, parseForm } from "./form.ts";
import { type StripeEvent, StripeStore } from "./objects.ts";
import { routeRequest } from "./routes.ts";

/** Stripe keeps an idempotency key's stored response for 24 hours, then forgets the key. */
export const idempotencyKeyLifetimeSeconds = 24 * 3600;

/**
 * A fault the double injects into matching requests, `times` times (default 1, `Infinity` for all):
 * - `rate_limit`: 429 with `Retry-After` and, when given, `Stripe-Should-Retry`;
 * - `server_error`: 500 `api_error`, `Stripe-Should-Retry: true` unless said otherwise;
 * - `timeout`: no answer at all; with `execute` the request is carried out first (the response is lost);
 * - `delay`: carried out and answered after `ms`, even when the client has gone meanwhile.
 */
export interface Fault {
  kind: "rate_limit" | "server_error" | "timeout" | "delay";
  method?: string;
  /** Matched against the path, e.g. `/finalize$/`; a string is a regular expression's source. */
  path?: RegExp | string;
  times?: number;
  retryAfterSeconds?: number;
  shouldRetry?: boolean;
  execute?: boolean;
  ms?: number;
}

export interface LoggedRequest {
  at: number;
  method: string;
  path: string;
  params: FormObject;
  idempotencyKey: string | null;
  status: number | null;
  replayed: boolean;
  fault: Fault["kind"] | null;
  /** The API version the client asked for (`Stripe-Version`), echoed as Stripe does. */
  version: string;
}

interface Saved {
  endpoint: string;
  params: string;
  status: number;
  body: unknown;
  /** When it was stored, on the double's clock. */
  at: number;
}

export interface StripeDouble {
  url: string;
  host: string;
  port: number;
  store: StripeStore;
  requests: LoggedRequest[];
  inject(fault: Fault): void;
  clearFaults(): void;
  /** Moves the simulated clock: idempotency keys older than 24 h expire and due invoices are collected. */
  advanceClock(seconds: number): void;
  /** Resolves when every webhook raised so far has been delivered (or has failed to be). */
  webhooksDelivered(): Promise<void>;
  setDefaultPaymentMethod(customerId: string, outcome: "succeeds" | "declines"): void;
  setCoupon(customerId: string, percentOff: number): void;
  close(): Promise<void>;
}

/** Stripe's `Stripe-Signature`: HMAC-SHA256 of `<timestamp>.<payload>` under the endpoint's secret. */
export function signWebhook(payload: string, secret: string, timestamp = Math.floor(Date.now() / 1000)) {
  const signature = createHmac("sha256", secret).update(`${timestamp}.${payload}`).digest("hex");
  return `t=${timestamp},v1=${signature}`;
}

export async function startStripeDouble(
  options: { port?: number; host?: string; webhook?: { url: string; secret: string } } = {},
): Promise<StripeDouble> {
  const store = new StripeStore();
  let deliveries: Promise<void> = Promise.resolve();
  const deliver = async (event: StripeEvent) => {
    if (!options.webhook) return;
    const payload = JSON.stringify(event);
    // Signed with the real time: receivers check the timestamp against their own clock.
    await fetch(options.webhook.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "stripe-signature": signWebhook(payload, options.webhook.secret),
      },
      body: payload,
    }).catch(() => undefined);
  };
  // One at a time, in the order raised, as a test reading them expects (Stripe itself does not promise order).
  store.onEvent = (event) => {
    deliveries = deliveries.then(() => deliver(event));
  };
  const requests: LoggedRequest[] = [];
  let faults: (Fault & { left: number })[] = [];
  const saved = new Map<string, Saved>();
  const inFlight = new Set<string>();

  const takeFault = (method: string, path: string) => {
    const fault = faults.find(
      (f) => f.left > 0 && (!f.method || f.method === method) && (!f.path || new RegExp(f.path).test(path)),
    );
    if (fault) fault.left -= 1;
    return fault;
  };

  const send = (
    res: ServerResponse,
    entry: LoggedRequest,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    entry.status = status;
    if (res.destroyed) return;
    res.writeHead(status, {
      "content-type": "application/json",
      "stripe-version": entry.version,
      "request-id": `req_${randomBytes(7).toString("hex")}`,
      ...(entry.idempotencyKey ? { "idempotency-key": entry.idempotencyKey } : {}),
      ...headers,
    });
    res.end(JSON.stringify(body));
  };

  const execute = (method: string, path: string, params: FormObject) => {
    try {
      return { status: 200, body: routeRequest(store, method, path, params) };
    } catch (error) {
      if (error instanceof StripeDoubleError) return { status: error.status, body: error.body() };
      return { status: 500, body: { error: { type: "api_error", message: (error as Error).message } } };
    }
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://double");
    const method = req.method ?? "GET";
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    if (url.pathname.startsWith("/_double/")) return control(url.pathname, method, raw, res);
    const params = method === "GET" || method === "DELETE" ? parseForm(url.search.slice(1)) : parseForm(raw);
    const key = method === "POST" ? ((req.headers["idempotency-key"] as string | undefined) ?? null) : null;
    const version = (req.headers["stripe-version"] as string | undefined) ?? "";
    const entry: LoggedRequest = {
      at: Date.now(),
      method,
      path: url.pathname,
      params,
      idempotencyKey: key,
      status: null,
      replayed: false,
      fault: null,
      version,
    };
    requests.push(entry);

    if (!/^Bearer \S+/.test(req.headers.authorization ?? ""))
      return send(
        res,
        entry,
        401,
        new StripeDoubleError(401, "invalid_request_error", "You did not provide an API key.").body(),
      );

    const endpoint = `${method} ${url.pathname}`;
    const fingerprint = canonical(params);
    const stored = key ? saved.get(key) : undefined;
    const previous = stored && store.clock - stored.at < idempotencyKeyLifetimeSeconds ? stored : undefined;
    if (key && previous) {
      if (previous.endpoint !== endpoint || previous.params !== fingerprint)
        return send(
          res,
          entry,
          400,
          new StripeDoubleError(
            400,
            "idempotency_error",
            `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
          ).body(),
        );
      entry.replayed = true;
      return send(res, entry, previous.status, previous.body, { "idempotent-replayed": "true" });
    }
    if (key && inFlight.has(key))
      return send(
        res,
        entry,
        409,
        new StripeDoubleError(
          409,
          "idempotency_error",
          "There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through). Please try again later.",
        ).body(),
      );

    const fault = takeFault(method, url.pathname);
    entry.fault = fault?.kind ?? null;
    if (fault?.kind === "rate_limit") {
      const headers: Record<string, string> = { "retry-after": String(fault.retryAfterSeconds ?? 1) };
      if (fault.shouldRetry !== undefined) headers["stripe-should-retry"] = String(fault.shouldRetry);
      return send(
        res,
        entry,
        429,
        new StripeDoubleError(
          429,
          "invalid_request_error",
          "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.",
          "rate_limit",
        ).body(),
        headers,
      );
    }
    if (fault?.kind === "server_error") {
      // Stripe stores whatever the request came to under its key, a 500 too, and replays it for 24 h.
      const body = new StripeDoubleError(500, "api_error", "An unknown error occurred").body();
      if (key) saved.set(key, { endpoint, params: fingerprint, status: 500, body, at: store.clock });
      return send(res, entry, 500, body, { "stripe-should-retry": String(fault.shouldRetry ?? true) });
    }

    const run = () => {
      const result = execute(method, url.pathname, params);
      if (key) saved.set(key, { endpoint, params: fingerprint, ...result, at: store.clock });
      return result;
    };
    if (fault?.kind === "timeout") {
      // The client gives up on its own timeout; the socket is left open until it does.
      if (fault.execute) run();
      return;
    }
    if (fault?.kind === "delay") {
      if (key) inFlight.add(key);
      await new Promise((r) => setTimeout(r, fault.ms ?? 1000));
      if (key) inFlight.delete(key);
    }
    const result = run();
    send(res, entry, result.status, result.body);
  }

  function control(path: string, method: string, raw: string, res: ServerResponse) {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (path === "/_double/requests" && method === "GET") return reply(200, requests);
    if (path === "/_double/faults" && method === "DELETE") return reply(200, double.clearFaults());
    if (path === "/_double/faults" && method === "POST") {
      for (const fault of JSON.parse(raw) as Fault[]) double.inject(fault);
      return reply(200, { faults: faults.length });
    }
    if (path === "/_double/clock" && method === "POST") {
      double.advanceClock(Number((JSON.parse(raw) as { advanceSeconds: number }).advanceSeconds));
      return reply(200, { clock: store.clock });
    }
    const card = path.match(/^\/_double\/customers\/([^/]+)\/payment_method$/);
    if (card && method === "POST") {
      const { outcome } = JSON.parse(raw) as { outcome: "succeeds" | "declines" };
      return reply(200, setDefaultPaymentMethod(store, card[1] ?? "", outcome));
    }
    const settle = path.match(/^\/_double\/invoices\/([^/]+)\/(paid|void|uncollectible)$/);
    if (settle && method === "POST") {
      const action = { paid: "pay", void: "void", uncollectible: "mark_uncollectible" }[settle[2] as "paid"];
      const result = execute("POST", `/v1/invoices/${settle[1]}/${action}`, {
        ...(action === "pay" ? { paid_out_of_band: "true" } : {}),
      });
      return reply(result.status, result.body);
    }
    return reply(404, {
      error: { type: "invalid_request_error", message: `Unknown double control ${method} ${path}` },
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { type: "api_error", message: error.message } }));
    });
  });
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve),
  );
  const { address, port } = server.address() as AddressInfo;

  const double: StripeDouble = {
    url: `http://${address}:${port}`,
    host: address,
    port,
    store,
    requests,
    inject(fault) {
      faults.push({ ...fault, left: fault.times ?? 1 });
    },
    clearFaults() {
      faults = [];
    },
    advanceClock(seconds) {
      advanceClock(store, seconds);
    },
    webhooksDelivered() {
      return deliveries;
    },
    setDefaultPaymentMethod(customerId, outcome) {
      setDefaultPaymentMethod(store, customerId, outcome);
    },
    setCoupon(customerId, percentOff) {
      setCoupon(store, customerId, percentOff);
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return double;
}
