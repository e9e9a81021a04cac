import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { detectCgroupLayout } from "./cgroup/layout.ts";
import type { EnvironmentConfig } from "./environments/scope.ts";
import { silentLogger } from "./log.ts";
import { Sampler } from "./sampler.ts";
import { loadState, saveState } from "./state.ts";
import { toScaled } from "./testing/decimal.ts";

describe("Sampler across a restart", () => {
  const cleanup: Array<() => void> = [];
  afterEach(() => {
    for (const fn of cleanup.splice(0)) fn();
  });

  it("continues from the persisted baseline: the deltas add up to the whole, once", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "mp-sampler-"));
    const burner = spawn(process.execPath, [
      "-e",
      "setInterval(() => { const e = Date.now() + 150; while (Date.now() < e); }, 200)",
    ]);
    cleanup.push(
      () => burner.kill("SIGKILL"),
      () => rmSync(stateDir, { recursive: true, force: true }),
    );
    const env: EnvironmentConfig = {
      id: randomUUID(),
      kind: "process_tree",
      selector: `pid:${burner.pid}`,
      meters: ["cpu"],
    };
    const layout = detectCgroupLayout();
    const pause = () => new Promise((resolve) => setTimeout(resolve, 400));
    const t = 1_800_000_000;

    const state1 = loadState(stateDir, silentLogger);
    const s1 = new Sampler(state1, layout, silentLogger);
    expect(await s1.sample([env], t, 10)).toEqual([]); // baseline only
    const baseline = state1.counters.get(`${env.id}/cpu/`)?.value ?? 0n;
    await pause();
    const [a] = await s1.sample([env], t + 10, 10);
    saveState(stateDir, state1);

    // The restart: a new sampler from disk; the first tick after it yields a delta, not a new baseline.
    await pause();
    const state2 = loadState(stateDir, silentLogger);
    const [b] = await new Sampler(state2, layout, silentLogger).sample([env], t + 30, 10);
    const end = state2.counters.get(`${env.id}/cpu/`)?.value ?? 0n;

    expect(b).toMatchObject({ start: "2027-01-15T08:00:10Z", seconds: 20 }); // the gap is covered, within the hour
    expect(toScaled(a?.value ?? "", 6) + toScaled(b?.value ?? "", 6)).toBe(end - baseline);
    expect(end - baseline).toBeGreaterThan(0n);
  });
});
