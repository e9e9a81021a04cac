import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * Scalar's prebuilt browser bundle (@scalar/api-reference), served from our origin so /docs/api loads nothing
 * from elsewhere. Resolved when the server runs, from the app's directory, so the bundler never packs 5 MB of
 * Vue into a route; read once per process.
 */
function packageDir() {
  const entry = createRequire(join(process.cwd(), "package.json")).resolve("@scalar/api-reference");
  return join(dirname(entry), "..");
}

let bundle: { version: string; body: Uint8Array<ArrayBuffer> } | undefined;
export function apiReferenceBundle() {
  if (!bundle) {
    const dir = packageDir();
    const { version } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string };
    bundle = { version, body: new Uint8Array(readFileSync(join(dir, "dist", "browser", "standalone.js"))) };
  }
  return bundle;
}
