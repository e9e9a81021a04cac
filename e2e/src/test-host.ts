import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "@meterplane/testing";

/** The directories of a real host that installing and running the collector writes to. */
const hostDirs = ["/opt", "/etc/systemd/system", "/var/lib", "/run"] as const;

/**
 * A fresh host for running an operator's command verbatim, as root: a private mount namespace in which
 * /opt, /etc/systemd/system, /var/lib and /run are empty directories of a scratch root (so nothing is
 * installed on the machine that runs the test, and the test's collector shares no state or socket with any
 * other), with stand-ins for `sudo` (not installed; the test is root) and `systemctl` (no systemd runs
 * here) first on PATH: e2e/host-stand-ins. Everything else (/proc, /sys/fs/cgroup, the network namespace,
 * /usr/bin/node, `ss`) is the machine's own, so the collector meters the machine's real cgroups and sockets.
 */
export class TestHost {
  readonly root = mkdtempSync(join(tmpdir(), "test-host-"));

  constructor() {
    for (const dir of hostDirs) mkdirSync(this.path(dir), { recursive: true });
  }

  /** Where a path of the host is in the scratch root. */
  path(hostPath: string): string {
    return join(this.root, hostPath);
  }

  /** Runs `command` with `sh -c` in the host's namespace, with a login shell's PATH and nothing else set. */
  async run(command: string): Promise<{ stdout: string; stderr: string }> {
    const mounts = hostDirs.map((dir) => `mount --bind '${this.path(dir)}' '${dir}'`).join(" && ");
    return promisify(execFile)(
      "unshare",
      ["--mount", "--propagation", "private", "sh", "-c", `${mounts} && exec sh -c "$HOST_COMMAND"`],
      {
        env: {
          PATH: `${join(repoRoot, "e2e/host-stand-ins")}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
          HOME: "/root",
          HOST_COMMAND: command,
        },
        cwd: "/",
        timeout: 120_000,
      },
    );
  }

  /** What a unit the systemctl stand-in started has printed so far. */
  unitLog(unit: string): string {
    const log = this.path(`/var/lib/systemd-stand-in/${unit}.log`);
    return existsSync(log) ? readFileSync(log, "utf8") : "";
  }

  /** Stops the units the stand-in started (SIGTERM to their session, as systemd's KillMode=control-group). */
  async stop(unit: string) {
    const pidFile = this.path(`/var/lib/systemd-stand-in/${unit}.pid`);
    if (!existsSync(pidFile)) return;
    const pid = Number(readFileSync(pidFile, "utf8"));
    // Signal 0 probes the session: ESRCH once every process in it is gone.
    const alive = () => {
      try {
        process.kill(-pid, 0);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
        throw error;
      }
    };
    if (alive()) process.kill(-pid, "SIGTERM");
    for (let i = 0; i < 300 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
    if (alive()) process.kill(-pid, "SIGKILL");
  }

  remove() {
    rmSync(this.root, { recursive: true, force: true });
  }
}
