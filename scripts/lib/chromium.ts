import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/** The browser every browser test drives: Debian's Chromium, never one a tool downloads. */
export const chromiumPath = "/usr/bin/chromium";

/**
 * Makes sure Chromium is there before anything is built: present, or installed from Debian's archive when
 * we run as root with apt-get. Otherwise it throws one line saying what to install, so a run without a
 * browser fails at once instead of after the build with two test files that could not launch it.
 */
export function ensureChromium(log: (line: string) => void): void {
  if (existsSync(chromiumPath)) return;
  const hint = `the browser tests need Chromium at ${chromiumPath}: install Debian's package (sudo apt-get install -y chromium)`;
  const canInstall = process.getuid?.() === 0 && existsSync("/usr/bin/apt-get");
  if (!canInstall) throw new Error(hint);
  log(`${chromiumPath} is missing: installing Debian's chromium (apt-get install -y chromium)`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [
    ["update", "-qq"],
    ["install", "-y", "-qq", "chromium"],
  ]) {
    const run = spawnSync("apt-get", args, { env, stdio: ["ignore", "inherit", "inherit"] });
    if (run.status !== 0) throw new Error(`apt-get ${args.join(" ")} failed; ${hint}`);
  }
  if (!existsSync(chromiumPath)) throw new Error(hint);
}
