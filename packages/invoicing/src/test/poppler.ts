import { execFileSync, spawnSync } from "node:child_process";

/**
 * Poppler's command-line tools (Debian's `poppler-utils`), which render and read PDFs in tests. `npm test`
 * installs them as it installs Chromium (scripts/lib/chromium.ts); run alone, a test without them fails
 * saying what to install — it never skips.
 */
export function requirePoppler(): void {
  if (spawnSync("sh", ["-c", "command -v pdftoppm && command -v pdftotext"]).status !== 0)
    throw new Error("pdftoppm not found: install Debian's poppler-utils (apt-get install -y poppler-utils)");
}

/** A grey-scale raster of one page (PGM, 8 bits per pixel) at `dpi`. */
export function renderPage(pdf: Buffer, dpi: number, page = 1) {
  const pgm = execFileSync(
    "pdftoppm",
    ["-gray", "-r", String(dpi), "-f", String(page), "-l", String(page), "-"],
    { input: pdf, maxBuffer: 64 * 1024 * 1024 },
  );
  // "P5 <width> <height> <max>" then one byte per pixel.
  const match = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString("latin1"));
  if (!match) throw new Error("pdftoppm did not return a PGM image");
  const [, width, height] = match.map(Number) as [number, number, number];
  const pixels = pgm.subarray(match[0].length);
  /** The share of dark pixels in a box given as fractions of the page. */
  const ink = (x0: number, y0: number, x1: number, y1: number) => {
    let dark = 0;
    let all = 0;
    for (let y = Math.floor(y0 * height); y < Math.floor(y1 * height); y++)
      for (let x = Math.floor(x0 * width); x < Math.floor(x1 * width); x++, all++)
        if (pixels[y * width + x]! < 128) dark++;
    return dark / all;
  };
  return { width, height, ink };
}

/** The page's text laid out as printed (pdftotext -layout), to read rows across their columns. */
export function pdfLayoutText(pdf: Buffer): string {
  return execFileSync("pdftotext", ["-layout", "-", "-"], { input: pdf }).toString("utf8");
}

/** The page as a PNG for a person to look at (test artifacts). */
export function savePng(pdf: Buffer, path: string, dpi = 96): void {
  execFileSync("pdftoppm", ["-png", "-r", String(dpi), "-singlefile", "-", path.replace(/\.png$/, "")], {
    input: pdf,
  });
}
