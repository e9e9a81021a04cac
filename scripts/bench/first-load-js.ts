import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export interface FirstLoadJs {
  /** The app route that serves the path, e.g. `/(portal)/usage/page`. */
  route: string;
  rawBytes: number;
  gzipBytes: number;
}

/**
 * Each page's first-load JavaScript as the Next build recorded it (`.next`): the root main files every page
 * loads (`build-manifest.json`) and every chunk of the page's entries — its layouts, loading and error
 * boundaries and the page itself (`entryJSFiles` of its client reference manifest) — counted once each, raw
 * and gzip (level 9) from the files the build wrote. What a browser downloads before the page is interactive.
 */
export function firstLoadJsReader(distDir: string) {
  const build = JSON.parse(readFileSync(join(distDir, "build-manifest.json"), "utf8")) as {
    rootMainFiles: string[];
  };
  const routes = Object.entries(
    JSON.parse(readFileSync(join(distDir, "app-path-routes-manifest.json"), "utf8")) as Record<
      string,
      string
    >,
  )
    .filter(([route]) => route.endsWith("/page"))
    .map(([route, path]) => ({
      route,
      // Static segments win over dynamic ones, as Next matches them.
      dynamic: path.includes("["),
      pattern: new RegExp(`^${path.replace(/\[[^\]]+\]/g, "[^/]+")}$`),
    }))
    .sort((a, b) => Number(a.dynamic) - Number(b.dynamic));
  const sizes = new Map<string, { raw: number; gzip: number }>();
  const sizeOf = (file: string) => {
    let size = sizes.get(file);
    if (!size) {
      const bytes = readFileSync(join(distDir, file));
      size = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
      sizes.set(file, size);
    }
    return size;
  };
  return (urlPath: string): FirstLoadJs => {
    const pathname = new URL(urlPath, "http://x").pathname;
    const match = routes.find((r) => r.pattern.test(pathname));
    if (!match) throw new Error(`no app route in ${distDir} serves ${pathname}`);
    const manifestFile = join(distDir, "server", "app", `${match.route}_client-reference-manifest.js`);
    const source = readFileSync(manifestFile, "utf8");
    const entries = /"entryJSFiles":(\{[^}]*\})/.exec(source)?.[1];
    if (!entries) throw new Error(`${manifestFile} has no entryJSFiles`);
    const files = new Set(build.rootMainFiles);
    for (const chunks of Object.values(JSON.parse(entries) as Record<string, string[]>))
      for (const chunk of chunks) files.add(chunk);
    let rawBytes = 0;
    let gzipBytes = 0;
    for (const file of files) {
      const size = sizeOf(file);
      rawBytes += size.raw;
      gzipBytes += size.gzip;
    }
    return { route: match.route, rawBytes, gzipBytes };
  };
}
