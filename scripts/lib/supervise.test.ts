import { afterEach, describe, expect, it } from "vitest";
import { supervise } from "./supervise.ts";

const idle = { command: process.execPath, args: ["-e", "setInterval(() => {}, 1000)"], env: {}, cwd: "/" };

async function until<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

let stop: (() => Promise<void>) | undefined;
afterEach(() => stop?.());

describe("npm start's supervisor", () => {
  it("restarts a child that died of a signal (as V8 aborts on an exhausted heap) and says so in one line", async () => {
    const lines: string[] = [];
    const children = supervise((line) => lines.push(line), { firstDelayMs: 100 });
    stop = children.stop;
    children.start({ name: "web", ...idle });
    const first = await until(() => children.pidOf("web"), "web to start");
    process.kill(first, "SIGABRT");
    const second = await until(() => {
      const pid = children.pidOf("web");
      return pid !== first ? pid : undefined;
    }, "web to restart");
    expect(alive(second)).toBe(true);
    expect(lines).toEqual(["web exited (SIGABRT); restarting in 0.1 s"]);
  });

  it("backs off: a child that keeps dying waits twice as long each time", async () => {
    const lines: string[] = [];
    const children = supervise((line) => lines.push(line), { firstDelayMs: 50 });
    stop = children.stop;
    children.start({
      name: "worker",
      command: process.execPath,
      args: ["-e", "process.exit(3)"],
      env: {},
      cwd: "/",
    });
    await until(() => lines.length >= 3 || undefined, "three restarts");
    expect(lines.slice(0, 3)).toEqual([
      "worker exited (code 3); restarting in 0.05 s",
      "worker exited (code 3); restarting in 0.1 s",
      "worker exited (code 3); restarting in 0.2 s",
    ]);
  });

  it("stops at once even when a child has died of a signal and waits for its restart", async () => {
    const children = supervise(() => {}, { firstDelayMs: 60_000 });
    children.start({ name: "web", ...idle });
    children.start({ name: "worker", ...idle });
    const web = await until(() => children.pidOf("web"), "web to start");
    const worker = await until(() => children.pidOf("worker"), "worker to start");
    process.kill(web, "SIGKILL");
    await until(() => !alive(web) || undefined, "web to die");
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await children.stop();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(alive(worker)).toBe(false);
  });
});
