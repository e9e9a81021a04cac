import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

export interface Received {
  url: string | undefined;
  headers: IncomingMessage["headers"];
  body: unknown;
}
export type Reply = { status: number; body: unknown };

/**
 * A real HTTP server on an ephemeral port that answers from a script, one reply per request, and keeps each
 * request's JSON body (gunzipped when the request says so, as the shipper's do).
 */
export async function scriptedServer(replies: Reply[]) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const text = (req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw).toString();
      received.push({ url: req.url, headers: req.headers, body: JSON.parse(text) });
      const reply = replies.shift() ?? {
        status: 500,
        body: { error: { code: "INTERNAL", message: "script exhausted" } },
      };
      res.writeHead(reply.status, { "Content-Type": "application/json" }).end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise((resolve) => server.close(resolve)) };
}
