import type { Sample } from "@meterplane/wire";
import type { CgroupLayout } from "./cgroup/layout.ts";
import { formatScaled } from "./decimal.ts";
import { readProcTable } from "./environments/process-tree.ts";
import { type EnvironmentConfig, resolveScope, type Scope } from "./environments/scope.ts";
import { emptyTreeCpuState } from "./environments/tree-cpu.ts";
import type { Logger } from "./log.ts";
import { findMeter, type Meter } from "./meters/index.ts";
import type { CollectorState } from "./state.ts";
import { hourStart, isoSeconds, previousTick } from "./time.ts";

export interface Reading {
  meter: Meter;
  value: bigint;
}

/**
 * Turns readings into samples for one tick. A gauge covers the slot the tick closes. A counter's delta
 * covers [its previous reading, tick), cut at the hour boundary: after downtime the whole delta lands in
 * the current hour rather than being lost or spread by guesswork. The first reading of a counter only sets
 * its baseline; a reading below the previous one means the source restarted, and counts from zero.
 */
export class Sampler {
  private readonly warned = new Set<string>();

  constructor(
    private readonly state: CollectorState,
    private readonly layout: CgroupLayout,
    private readonly log: Logger,
  ) {}

  async sample(environments: EnvironmentConfig[], tick: number, intervalSeconds: number): Promise<Sample[]> {
    const samples: Sample[] = [];
    const observed = await this.observe(environments);
    this.forgetRemoved(environments);
    for (const [env, readings] of observed) {
      for (const { meter, value } of readings) {
        const window =
          meter.kind === "gauge"
            ? this.gaugeWindow(tick, intervalSeconds)
            : this.counterWindow(env, meter, value, tick, intervalSeconds);
        if (!window) continue;
        samples.push({
          environmentId: env.id,
          meter: meter.name,
          start: isoSeconds(window.start),
          seconds: tick - window.start,
          value: formatScaled(window.value ?? value, meter.scale),
        });
      }
    }
    return samples;
  }

  /** Reads every configured meter of every present environment; one /proc pass at most. */
  async observe(environments: EnvironmentConfig[]): Promise<Map<EnvironmentConfig, Reading[]>> {
    let table: ReturnType<typeof readProcTable> | undefined;
    const ctx = {
      layout: this.layout,
      procTable: () => {
        table ??= readProcTable();
        return table;
      },
      treeCpu: (id: string) => {
        const tree = this.state.trees.get(id) ?? emptyTreeCpuState();
        this.state.trees.set(id, tree);
        return tree;
      },
    };
    const result = new Map<EnvironmentConfig, Reading[]>();
    for (const env of environments) {
      let scope: Scope | null;
      try {
        scope = await resolveScope(env, ctx);
      } catch (error) {
        this.warnOnce(`${env.id}/resolve`, "environment cannot be measured", {
          environmentId: env.id,
          error: String(error),
        });
        continue;
      }
      if (!this.tracked(`${env.id}/present`, scope !== null, env)) continue;
      result.set(env, await this.readMeters(env, scope as Scope));
    }
    return result;
  }

  private async readMeters(env: EnvironmentConfig, scope: Scope): Promise<Reading[]> {
    const readings: Reading[] = [];
    for (const name of env.meters) {
      const meter = findMeter(name);
      if (!meter) {
        this.warnOnce(`${env.id}/${name}`, "meter not implemented by this collector", {
          environmentId: env.id,
          meter: name,
        });
        continue;
      }
      try {
        const value = await meter.read(scope);
        if (value !== null) readings.push({ meter, value });
        else
          this.warnOnce(`${env.id}/${name}`, "meter has no source in this environment", {
            environmentId: env.id,
            meter: name,
          });
      } catch (error) {
        // One unreadable file must not stop the other meters; the counter keeps its baseline for next time.
        this.log.warn("meter read failed", { environmentId: env.id, meter: name, error: String(error) });
      }
    }
    return readings;
  }

  private gaugeWindow(tick: number, intervalSeconds: number) {
    return { start: previousTick(tick, intervalSeconds), value: undefined };
  }

  private counterWindow(
    env: EnvironmentConfig,
    meter: Meter,
    value: bigint,
    tick: number,
    intervalSeconds: number,
  ) {
    const key = `${env.id}/${meter.name}`;
    const previous = this.state.counters.get(key);
    this.state.counters.set(key, { value, at: tick });
    if (!previous) return null;
    const delta = value >= previous.value ? value - previous.value : value;
    // A clock stepped backwards gives no usable start; the delta is still real, so give it the current slot.
    const start =
      previous.at < tick ? Math.max(previous.at, hourStart(tick - 1)) : previousTick(tick, intervalSeconds);
    return { start, value: delta };
  }

  /** Drops baselines of environments no longer configured, so state does not grow without bound. */
  private forgetRemoved(environments: EnvironmentConfig[]): void {
    const ids = new Set(environments.map((env) => env.id));
    for (const key of this.state.counters.keys())
      if (!ids.has(key.split("/")[0] ?? "")) this.state.counters.delete(key);
    for (const id of this.state.trees.keys()) if (!ids.has(id)) this.state.trees.delete(id);
  }

  /** Logs an environment's disappearance and return once each, not every tick. Returns `present`. */
  private tracked(key: string, present: boolean, env: EnvironmentConfig): boolean {
    const wasMissing = this.warned.has(key);
    if (!present && !wasMissing)
      this.log.warn("environment not found on this host", {
        environmentId: env.id,
        kind: env.kind,
        selector: env.selector,
      });
    if (present && wasMissing) this.log.info("environment found again", { environmentId: env.id });
    if (present) this.warned.delete(key);
    else this.warned.add(key);
    return present;
  }

  private warnOnce(key: string, msg: string, fields: Record<string, unknown>): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.log.warn(msg, fields);
  }
}
