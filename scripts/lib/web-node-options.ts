/**
 * V8 options of the production web process, measured by `npm run bench -- export` (10 million samples,
 * exported a tenth then whole then whole again):
 * - semi-spaces of 2 MB instead of Node's 16 MB: the web process's garbage is short-lived (request
 *   objects, the chunks a streamed export passes on), and a larger young generation only holds more of it
 *   in RSS (V8 defaults: idle 167 MB, peak 210 MB);
 * - an old generation capped at 192 MB: what smaller semi-spaces promote dies soon after, but under
 *   Node's default limit (a quarter of RAM, up to 4 GB) V8 collects it late, so RSS crept up export after
 *   export (159, 175, 192 MB). With the cap it holds at ~160 MB whatever the range; 192 MB leaves pages and
 *   PDFs several times the web process's idle heap.
 */
export const webV8Options = "--max-semi-space-size=2 --max-old-space-size=192";

/**
 * V8 options of ingest's own process (`server.mjs --ingest-only`). A fleet's hosts send on one tick, so
 * thousands of requests are in flight at once, each holding its socket, its body and its pending insert;
 * under the web process's 192 MB cap V8 collected the old generation again and again through every
 * tick. With room for a tick's requests (`npm run bench -- fleet`, 6,000 hosts, cold start), ingest's CPU
 * per sample fell from 5.4–7.0 µs to 4.6–4.9 µs (four runs against two). The limit is a ceiling, not a
 * reservation.
 */
export const ingestV8Options = "--max-old-space-size=1024";

/** NODE_OPTIONS: the caller's own, then `v8Options`. */
const nodeOptions = (v8Options: string, inherited: string | undefined) =>
  [inherited, v8Options].filter(Boolean).join(" ");

/** NODE_OPTIONS for the web process. */
export const webNodeOptions = (inherited = process.env.NODE_OPTIONS) => nodeOptions(webV8Options, inherited);

/** NODE_OPTIONS for ingest's own process. */
export const ingestNodeOptions = (inherited = process.env.NODE_OPTIONS) =>
  nodeOptions(ingestV8Options, inherited);
