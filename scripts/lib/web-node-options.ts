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

/** NODE_OPTIONS for the web process: the caller's own, then ours. */
export function webNodeOptions(inherited = process.env.NODE_OPTIONS): string {
  return [inherited, webV8Options].filter(Boolean).join(" ");
}
