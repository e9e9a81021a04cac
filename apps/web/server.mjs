import { createServer, request as httpRequest } from "node:http";
import { parseArgs } from "node:util";

/**
 * The web process: one HTTP server that answers POST /api/v1/ingest itself and hands every other request to
 * Next. Ingest is the hot path (every collector, every few seconds) and needs nothing of Next's: through
 * Next's request handling a batch cost ten times the CPU. The ingest code (TypeScript, like the packages it
 * calls) is compiled on the first batch, so a process that never ingests — one serving the API and its
 * exports — carries neither it nor the compiler.
 *
 * `node server.mjs --ingest-only --upstream <portal url>` answers ingest and nothing of Next's: a process of its
 * own, so a portal request that exhausts the heap or throws cannot take ingest down with it. It never loads
 * Next; other requests (a collector's config and enrollment) are passed to the portal at `--upstream` (503 while it is down).
 *
 * `node server.mjs [-p port] [-H hostname] [--dev] [--ingest-only --upstream url]`
 */
const { values } = parseArgs({
  options: {
    port: { type: "string", short: "p", default: process.env.PORT ?? "3000" },
    hostname: { type: "string", short: "H" },
    dev: { type: "boolean", default: false },
    "ingest-only": { type: "boolean", default: false },
    upstream: { type: "string" },
  },
});
const port = Number(values.port);
const handleWithNext = values["ingest-only"]
  ? passTo(new URL(values.upstream ?? "http://127.0.0.1:3000"))
  : await nextHandler();

async function nextHandler() {
  const { default: next } = await import("next");
  const app = next({ dev: values.dev, dir: import.meta.dirname, port, hostname: values.hostname });
  await app.prepare();
  return app.getRequestHandler();
}

/** Forwards a request to the portal as it came (the collector's config and enrollment); 503 while it is down. */
function passTo(upstream) {
  return (request, response) =>
    new Promise((resolve) => {
      const forwarded = httpRequest(
        upstream,
        { method: request.method, path: request.url, headers: request.headers },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response).once("finish", resolve);
        },
      );
      forwarded.once("error", () => {
        const body = JSON.stringify({
          error: { code: "UNAVAILABLE", message: "the portal is not answering" },
        });
        if (!response.headersSent) response.writeHead(503, { "content-type": "application/json" });
        response.end(body);
        resolve();
      });
      request.pipe(forwarded);
    });
}

/** @type {Promise<(request: import("node:http").IncomingMessage, response: import("node:http").ServerResponse) => Promise<void>> | undefined} */
let ingestHandler;
async function handleIngest(request, response) {
  ingestHandler ??= import("tsx/esm/api")
    .then(({ tsImport }) => tsImport("./src/ingest/handle-ingest.ts", import.meta.url))
    .then((module) => module.handleIngest);
  return (await ingestHandler)(request, response);
}

/**
 * On every response, ingest's and Next's alike. Pages replace the CSP with one carrying a script nonce
 * (src/proxy.ts); for anything else (JSON, PDF, CSV) nothing may load or frame it.
 */
const securityHeaders = {
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "same-origin",
};

const server = createServer((request, response) => {
  for (const [name, value] of Object.entries(securityHeaders)) response.setHeader(name, value);
  // The socket's peer, for limits keyed on the client's address (src/lib/client-address.ts); replaces
  // whatever a client sent under this name.
  request.headers["x-meterplane-peer"] = request.socket.remoteAddress ?? "unknown";
  const path = request.url?.split("?")[0];
  let handled;
  if (path !== "/api/v1/ingest") handled = handleWithNext(request, response);
  else if (request.method === "POST") handled = handleIngest(request, response);
  else {
    const body = JSON.stringify({ error: { code: "METHOD_NOT_ALLOWED", message: "POST a batch here" } });
    response.writeHead(405, { allow: "POST", "content-type": "application/json" }).end(body);
    return;
  }
  handled.catch((error) => {
    console.error(error);
    if (!response.headersSent) response.writeHead(500).end();
  });
});
// A fleet sends on one wall-clock tick. With Node's 5 s keep-alive, every collector's connection (one batch
// each 10 s) was closed between ticks and opened again at the next, thousands at once: the listen queue (511)
// overflowed, dropped SYNs were retried after 1, 3, 7, 15 s…, and acknowledgements took up to 40 s at 6,000
// hosts with the web process a quarter busy. Connections are now kept across ticks (the Keep-Alive header
// tells fetch-based collectors so), and the queue is as long as the kernel allows: Linux cuts the backlog asked
// to net.core.somaxconn (4,096 by default; a fleet's first tick after a restart needs one per host).
server.keepAliveTimeout = 75_000;
server.headersTimeout = 76_000;
server.listen({ port, host: values.hostname, backlog: 65_535 }, () =>
  console.log(`web listening on ${values.hostname ?? "*"}:${port}`),
);

for (const signal of ["SIGTERM", "SIGINT"])
  process.once(signal, () => {
    server.close(() => process.exit(0));
    // Keep-alive connections would hold close() open; they are idle between requests, so end them.
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5000).unref();
  });
