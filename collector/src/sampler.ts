import { dimensionKey, type Sample } from "@meterplane/wire";
import type { CgroupLayout } from "./cgroup/layout.ts";
import { formatScaled } from "./decimal.ts";
import { handOff, metersAt, readBootId, spanOf, takeOver } from "./environments/handover.ts";
import { emptyRunningTotal } from "./environments/running-total.ts";
import { cgroupPids, type EnvironmentConfig, resolveScope, type Scope } from "./environments/scope.ts";
import type { Logger } from "./log.ts";
import { findMeter, type Meter, type MeterReading } from "./meters/index.ts";
import { readDescriptors } from "./proc/descriptors.ts";
import { TickReader } from "./proc/tick-reader.ts";
import type { CollectorState } from "./state.ts";
import { hourStart, isoSeconds, previousTick } from "./time.ts";

export interface Reading extends MeterReading {
  meter: Meter;
}

/** Where transaction reports come from (the local endpoint), if this collector runs one. */
export interface ReportSource {
  take(environmentId: string): bigint;
  forgetSenders(): void;
}

/**
 * Turns readings into samples for one tick. A gauge covers the slot the tick closes. A counter's delta
 * covers [its previous reading, tick), cut at the hour boundary: after downtime the whole delta lands in
 * the current hour rather than being lost or spread by guesswork. The first reading of a counter only sets
 * its baseline; a reading below the previous one, or from another source (the cgroup was recreated),
 * counts from zero. A delta meter's reading is already the increment of the slot the tick closes.
 */
export class Sampler {
  private readonly warned = new Set<string>();
  private scopes: Scope[] = [];
  private readonly bootId = readBootId();

  constructor(
    private readonly state: CollectorState,
    private readonly layout: CgroupLayout,
    private readonly log: Logger,
    private readonly reports?: ReportSource,
  ) {}

  /**
   * `since`: the tick the previous process committed last, on a restarted collector's first tick (an
   * upgrade's hand-over): gauges then cover the slots between it and this tick too, at the level read now,
   * so a restart that takes longer than an interval leaves no slot unmetered (counters cover it anyway,
   * from their baselines).
   */
  async sample(
    environments: EnvironmentConfig[],
    tick: number,
    intervalSeconds: number,
    since?: number,
  ): Promise<Sample[]> {
    const samples: Sample[] = [];
    this.forgetRemoved(environments);
    const metered = environments.filter((env) => metersAt(this.state, env, tick));
    const held = new Set(
      metered.filter((env) => takeOver(this.state, env, tick, this.bootId, this.log)).map((env) => env.id),
    );
    const slot =
      since !== undefined && since < previousTick(tick, intervalSeconds)
        ? Math.max(since, hourStart(tick - 1))
        : previousTick(tick, intervalSeconds);
    for (const [env, readings] of this.observe(metered)) {
      const { from = -Infinity, until = Infinity } = spanOf(env);
      // A move's instant is a tick of both hosts: a slot is this host's from the instant, up to its end.
      const gaugeStart = Math.max(slot, from);
      const slotIsOurs = gaugeStart < tick && tick <= until;
      const end = Math.min(tick, until);
      for (const reading of readings) {
        const { meter, dimensions } = reading;
        const window =
          meter.kind === "gauge" || meter.delta
            ? slotIsOurs
              ? { start: gaugeStart, value: reading.value }
              : null
            : this.counterWindow(env, reading, { tick, end, intervalSeconds, held: held.has(env.id) });
        if (!window || (meter.delta && window.value === 0n)) continue;
        samples.push({
          environmentId: env.id,
          meter: meter.name,
          start: isoSeconds(window.start),
          seconds: end - window.start,
          value: formatScaled(window.value, meter.scale),
          ...(dimensions ? { dimensions } : {}),
        });
      }
    }
    for (const env of metered) {
      const { until } = spanOf(env);
      if (until !== undefined && tick >= until) handOff(this.state, env, until, this.bootId, this.log);
    }
    return samples;
  }

  /** Reads every configured meter of every present environment, each /proc file at most once. */
  observe(environments: EnvironmentConfig[]): Map<EnvironmentConfig, Reading[]> {
    const reports = this.reports;
    const ctx = {
      layout: this.layout,
      tick: new TickReader(),
      roots: this.state.roots,
      reports: reports && ((id: string) => reports.take(id)),
      total: (id: string, name: string) => {
        const key = `${id}/${name}`;
        const total = this.state.totals.get(key) ?? emptyRunningTotal();
        this.state.totals.set(key, total);
        return total;
      },
    };
    const result = new Map<EnvironmentConfig, Reading[]>();
    const scopes: Scope[] = [];
    for (const env of environments) {
      let scope: Scope | null;
      try {
        scope = resolveScope(env, ctx);
      } catch (error) {
        this.warnOnce(`${env.id}/resolve`, "environment cannot be measured", {
          environmentId: env.id,
          error: String(error),
        });
        continue;
      }
      if (!this.tracked(`${env.id}/present`, scope !== null, env) || !scope) continue;
      scopes.push(scope);
      result.set(env, this.readMeters(env, scope));
    }
    this.scopes = scopes;
    reports?.forgetSenders();
    return result;
  }

  /**
   * The environment whose process holds a socket inode now (for attributing transaction reports).
   * Cgroup members are read afresh; process-tree members are those of the last tick.
   */
  ownerOf(socketInode: string): string | undefined {
    for (const scope of this.scopes) {
      const pids = scope.paths ? cgroupPids(scope.paths) : scope.members().map((m) => m.pid);
      for (const pid of pids)
        if (readDescriptors(pid).socketInodes.includes(socketInode)) return scope.env.id;
    }
    return undefined;
  }

  private readMeters(env: EnvironmentConfig, scope: Scope): Reading[] {
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
        const values = meter.read(scope);
        if (values !== null) for (const value of values) readings.push({ meter, ...value });
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

  /**
   * A counter's delta since its previous reading, ending at `end`: the tick, or the end of the assignment
   * when this tick closes it (late, the delta up to this reading is the closing host's). While `held`, the
   * baseline stays and nothing is yielded.
   */
  private counterWindow(
    env: EnvironmentConfig,
    reading: Reading,
    {
      tick,
      end,
      intervalSeconds,
      held,
    }: { tick: number; end: number; intervalSeconds: number; held: boolean },
  ) {
    const { meter, value, source } = reading;
    const key = `${env.id}/${meter.name}/${dimensionKey(reading.dimensions)}`;
    const previous = this.state.counters.get(key);
    if (previous && held) return null;
    this.state.counters.set(key, { value, at: tick, source });
    if (!previous) return null;
    const restarted = value < previous.value || previous.source !== source;
    const delta = restarted ? value : value - previous.value;
    // A clock stepped backwards gives no usable start; the delta is still real, so give it the current slot.
    const start =
      previous.at < end ? Math.max(previous.at, hourStart(end - 1)) : previousTick(tick, intervalSeconds);
    return { start, value: delta };
  }

  /** Drops the state of environments no longer configured, so it does not grow without bound. */
  private forgetRemoved(environments: EnvironmentConfig[]): void {
    const ids = new Set(environments.map((env) => env.id));
    const gone = (key: string) => !ids.has(key.split("/")[0] ?? "");
    const { counters, totals, roots, takenOver, handoffs } = this.state;
    for (const map of [counters, totals, roots, takenOver])
      for (const key of map.keys()) if (gone(key)) map.delete(key);
    // A hand-over is kept until the server has it, even when the configuration no longer lists its environment.
    for (const [key, { posted }] of handoffs) if (posted && gone(key)) handoffs.delete(key);
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
