import { readFileSync } from "node:fs";
import type { Database } from "@meterplane/db";

/** CPU seconds (user + system) a process has used so far; 0 once it is gone. */
export function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * CPU seconds the machine's processes (but niced ones) have used since boot, on all cores: what per-process
 * figures miss (Postgres's WAL writer, checkpointer and autovacuum workers, backends that came and went, Redis).
 */
export function machineCpuSeconds(): number {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal. Work run under `nice` is left out: a bench shares the
  // machine only with work given way to (a build, another checkout's tests run niced).
  const [user = 0, , system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + system + irq + softirq + steal) / 100;
}

/** The Postgres backends serving `db`'s database: the server side of what a bench measures. */
export async function postgresBackends(db: Database): Promise<number[]> {
  const { rows } = await db.pool.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database()`,
  );
  return rows.map((row) => row.pid);
}

/** CPU seconds used since `cpuMeter()` by each process named, and by `db`'s Postgres backends together. */
export async function cpuMeter(db: Database, processes: Record<string, number | undefined>) {
  const before = {
    own: process.cpuUsage(),
    named: Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, cpuSeconds(pid)])),
    postgres: new Map((await postgresBackends(db)).map((pid) => [pid, cpuSeconds(pid)])),
    machine: machineCpuSeconds(),
  };
  return async () => {
    const own = process.cpuUsage(before.own);
    return {
      client: (own.user + own.system) / 1e6,
      ...Object.fromEntries(
        Object.entries(processes).map(([name, pid]) => [name, cpuSeconds(pid) - (before.named[name] ?? 0)]),
      ),
      machine: machineCpuSeconds() - before.machine,
      postgres: (await postgresBackends(db)).reduce(
        (total, pid) => total + cpuSeconds(pid) - (before.postgres.get(pid) ?? 0),
        0,
      ),
    } as Record<string, number>;
  };
}
