import { createServer } from "node:http";
import { parseArgs } from "node:util";
import next from "next";
import { handleIngest } from "@/ingest/handle-ingest";
import { log } from "@/lib/server";

/**
 * The web process: one HTTP server that answers POST /api/v1/ingest itself and hands every other request to
 * Next. Ingest is the hot path (every collector, every few seconds) and needs nothing of Next's; the portal,
 * tenant pages and the rest of the API are Next's. `node --import tsx server.ts [-p port] [-H hostname] [--dev]`.
 */
const { values } = parseArgs({
  options: {
    port: { type: "string", short: "p", default: process.env.PORT ?? "3000" },
    hostname: { type: "string", short: "H" },
    dev: { type: "boolean", default: false },
  },
});
const port = Number(values.port);
const app = next({ dev: values.dev, dir: import.meta.dirname, port, hostname: values.hostname });
const handleWithNext = app.getRequestHandler();
await app.prepare();

const server = createServer((request, response) => {
  if (request.method === "POST" && request.url === "/api/v1/ingest") void handleIngest(request, response);
  else void handleWithNext(request, response);
});
server.listen(port, values.hostname, () => log.info({ port, hostname: values.hostname }, "web started"));

for (const signal of ["SIGTERM", "SIGINT"] as const)
  process.once(signal, () => {
    server.close(() => process.exit(0));
    // Keep-alive connections would hold close() open; they are idle between requests, so end them.
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5000).unref();
  });
