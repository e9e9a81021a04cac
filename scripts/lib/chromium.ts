import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/** The browser every browser test drives: Debian's Chromium, never one a tool downloads. */
export const chromiumPath = "/usr/bin/chromium";

/** Debian packages the tests use, each by the file that shows it is installed. */
const testPackages = [
  { path: chromiumPath, name: "chromium", why: "the browser tests need Chromium" },
  {
    path: "/usr/bin/pdftoppm",
    name: "poppler-utils",
    why: "the invoice PDF test renders pages with pdftoppm",
  },
] as const;

/**
 * Makes sure Chromium and poppler are there before anything is built: present, or installed from Debian's
 * archive when we run as root with apt-get. Otherwise it throws one line saying what to install, so a run
 * without them fails at once instead of after the build with test files that could not start.
 */
export function ensureChromium(log: (line: string) => void): void {
  const missing = testPackages.filter((p) => !existsSync(p.path));
  if (missing.length === 0) return;
  const names = missing.map((p) => p.name);
  const hint = `${missing.map((p) => `${p.why} at ${p.path}`).join("; ")}: install Debian's packages (sudo apt-get install -y ${names.join(" ")})`;
  const canInstall = process.getuid?.() === 0 && existsSync("/usr/bin/apt-get");
  if (!canInstall) throw new Error(hint);
  log(`installing Debian's ${names.join(", ")} (apt-get install -y ${names.join(" ")})`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [
    ["update", "-qq"],
    ["install", "-y", "-qq", ...names],
  ]) {
    const run = spawnSync("apt-get", args, { env, stdio: ["ignore", "inherit", "inherit"] });
    if (run.status !== 0) throw new Error(`apt-get ${args.join(" ")} failed; ${hint}`);
  }
  if (missing.some((p) => !existsSync(p.path))) throw new Error(hint);
}
