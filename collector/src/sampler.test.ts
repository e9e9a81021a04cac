import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EnvironmentHandover, Sample } from "@meterplane/wire";
import { afterEach, describe, expect, it } from "vitest";
import { detectCgroupLayout } from "./cgroup/layout.ts";
import type { EnvironmentConfig } from "./environments/scope.ts";
import { silentLogger } from "./log.ts";
import { Sampler } from "./sampler.ts";
import { emptyState, loadState, saveState } from "./state.ts";
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

describe("Sampler when an environment moves between hosts", () => {
  const cleanup: Array<() => void> = [];
  afterEach(() => {
    for (const fn of cleanup.splice(0)) fn();
  });

  async function twoHosts() {
    const burner = spawn(process.execPath, [
      "-e",
      "setInterval(() => { const e = Date.now() + 150; while (Date.now() < e); }, 200)",
    ]);
    cleanup.push(() => burner.kill("SIGKILL"));
    const base: EnvironmentConfig = {
      id: randomUUID(),
      kind: "process_tree",
      selector: `pid:${burner.pid}`,
      meters: ["cpu", "processes"],
    };
    const t = 1_800_000_000;
    const at = new Date((t + 20) * 1000).toISOString();
    const layout = detectCgroupLayout();
    const a = { state: emptyState(), env: { ...base, until: at } };
    const b = { state: emptyState(), env: { ...base, from: at } as EnvironmentConfig };
    return {
      t,
      a: { ...a, sampler: new Sampler(a.state, layout, silentLogger) },
      b: { ...b, sampler: new Sampler(b.state, layout, silentLogger) },
    };
  }
  const pause = () => new Promise((resolve) => setTimeout(resolve, 300));
  const cpu = (samples: Sample[]) => samples.filter((s) => s.meter === "cpu");
  const slots = (samples: Sample[]) => samples.map((s) => `${s.meter} ${s.start} ${s.seconds}`);

  it("the old host's last slot ends at the instant, the new one continues from its hand-over: the CPU adds up once", async () => {
    const { t, a, b } = await twoHosts();
    await a.sampler.sample([a.env], t, 10);
    const start = a.state.counters.get(`${a.env.id}/cpu/`)?.value ?? 0n;
    expect(await b.sampler.sample([b.env], t + 10, 10)).toEqual([]); // not its environment yet
    await pause();
    const fromA = [...(await a.sampler.sample([a.env], t + 10, 10))];
    await pause();
    const bOpens = await b.sampler.sample([b.env], t + 20, 10); // its baseline; the slot before is A's
    fromA.push(...(await a.sampler.sample([a.env], t + 20, 10)));
    expect(bOpens).toEqual([]);
    expect(slots(fromA)).toEqual([
      "cpu 2027-01-15T08:00:00Z 10",
      "processes 2027-01-15T08:00:00Z 10",
      "cpu 2027-01-15T08:00:10Z 10",
      "processes 2027-01-15T08:00:10Z 10",
    ]);
    expect(await a.sampler.sample([a.env], t + 30, 10)).toEqual([]); // handed off
    const handoff = a.state.handoffs.get(a.env.id);
    expect(handoff?.handover.at).toBe(a.env.until);

    await pause();
    // Until the hand-over arrives the new host holds its counters: gauges go on, CPU waits.
    expect(slots(await b.sampler.sample([b.env], t + 30, 10))).toEqual(["processes 2027-01-15T08:00:20Z 10"]);
    await pause();
    const withHandover = { ...b.env, handover: handoff?.handover ?? null };
    const fromB = cpu(await b.sampler.sample([withHandover], t + 40, 10));
    const end = b.state.counters.get(`${b.env.id}/cpu/`)?.value ?? 0n;
    expect(slots(fromB)).toEqual(["cpu 2027-01-15T08:00:20Z 20"]);
    const billed = [...cpu(fromA), ...fromB].reduce((sum, s) => sum + toScaled(s.value, 6), 0n);
    expect(billed).toBe(end - start);
    expect(end - start).toBeGreaterThan(0n);
  });

  it("continues from its own reading at the instant when the hand-over is from another kernel", async () => {
    const { t, a, b } = await twoHosts();
    await a.sampler.sample([a.env], t + 10, 10);
    await b.sampler.sample([b.env], t + 20, 10);
    const own = b.state.counters.get(`${b.env.id}/cpu/`)?.value ?? 0n;
    await a.sampler.sample([a.env], t + 20, 10);
    const handover = {
      ...(a.state.handoffs.get(a.env.id)?.handover as EnvironmentHandover),
      bootId: "elsewhere",
    };
    await pause();
    const [fromB] = cpu(await b.sampler.sample([{ ...b.env, handover }], t + 30, 10));
    const end = b.state.counters.get(`${b.env.id}/cpu/`)?.value ?? 0n;
    expect(fromB).toMatchObject({ start: "2027-01-15T08:00:20Z", seconds: 10 });
    expect(toScaled(fromB?.value ?? "", 6)).toBe(end - own);
  });
});
