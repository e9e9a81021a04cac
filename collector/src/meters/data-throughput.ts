import { join } from "node:path";
import { observeRunningTotal, type Part } from "../environments/running-total.ts";
import type { Scope } from "../environments/scope.ts";
import { readSmall } from "../proc/fast-read.ts";
import { readNetDev } from "../proc/sockets.ts";
import type { Meter, MeterReading } from "./meter.ts";

const dims = (channel: string, direction: string) => ({ channel, direction });

/**
 * Bytes moved, as four counters: disk read/write and network received/sent.
 * - disk: the v2 `io.stat` rbytes/wbytes of the cgroup when it has the io controller (exact, exited
 *   processes included); otherwise `read_bytes`/`write_bytes` of /proc/PID/io summed as a running total
 *   (storage-layer bytes, not rchar/wchar which include sockets and cache hits). A reaped child's bytes
 *   are folded by the kernel into its parent, and the running total does not count them twice.
 * - network: processes in the collector's network namespace: per-socket tcp_info counters
 *   (bytes_received / bytes_sent, payload without headers; retransmits counted as sent) of the sockets
 *   they hold, from `ss`. A socket opened and closed between two ticks is missed, and one closed after
 *   our last look loses its tail. Processes in a network namespace of their own: that namespace's
 *   interface counters (/proc/<pid>/net/dev, loopback excluded, headers included).
 */
export const dataThroughputMeter: Meter = {
  name: "data_throughput",
  kind: "counter",
  scale: 0,
  read(scope) {
    return [...diskReadings(scope), ...networkReadings(scope)];
  },
};

function diskReadings(scope: Scope): MeterReading[] {
  const v2 = scope.paths?.v2;
  const stat = v2 ? readSmall(join(v2, "io.stat")) : null;
  if (stat !== null) {
    let read = 0n;
    let write = 0n;
    for (const m of stat.matchAll(/\brbytes=(\d+) wbytes=(\d+)/g)) {
      read += BigInt(m[1] ?? 0);
      write += BigInt(m[2] ?? 0);
    }
    return [
      { value: read, dimensions: dims("disk", "read"), source: scope.identity },
      { value: write, dimensions: dims("disk", "write"), source: scope.identity },
    ];
  }
  const reads: Part[] = [];
  const writes: Part[] = [];
  const members = scope.members();
  const keys = new Map(members.map((m) => [m.pid, `${m.pid}:${m.startTime}`]));
  for (const member of members) {
    const io = scope.tick.io(member.pid);
    if (!io) continue;
    const key = keys.get(member.pid) as string;
    const parentKey = keys.get(member.ppid);
    reads.push({ key, value: io.read, parentKey });
    writes.push({ key, value: io.write, parentKey });
  }
  return [
    { value: observeRunningTotal(scope.total("disk_read"), reads), dimensions: dims("disk", "read") },
    { value: observeRunningTotal(scope.total("disk_write"), writes), dimensions: dims("disk", "write") },
  ];
}

function networkReadings(scope: Scope): MeterReading[] {
  const received: Part[] = [];
  const sent: Part[] = [];
  const seen = new Set<string>();
  for (const member of scope.members()) {
    const { socketInodes } = scope.tick.fds(member.pid);
    // Without sockets a process moves no network bytes of its own (a namespace of its own aside).
    if (socketInodes.length === 0 && scope.tick.sharesOurNetns(member.pid)) continue;
    if (scope.tick.sharesOurNetns(member.pid)) {
      const counters = scope.tick.tcpCounters();
      for (const inode of socketInodes) {
        const socket = counters.get(inode);
        if (!socket || seen.has(inode)) continue;
        seen.add(inode);
        received.push({ key: `sock:${inode}`, value: socket.received });
        sent.push({ key: `sock:${inode}`, value: socket.sent });
      }
      continue;
    }
    const ns = scope.tick.netns(member.pid);
    if (ns === null || seen.has(ns)) continue;
    seen.add(ns);
    const dev = readNetDev(member.pid);
    if (!dev) continue;
    received.push({ key: ns, value: dev.received });
    sent.push({ key: ns, value: dev.sent });
  }
  return [
    {
      value: observeRunningTotal(scope.total("net_received"), received),
      dimensions: dims("network", "received"),
    },
    { value: observeRunningTotal(scope.total("net_sent"), sent), dimensions: dims("network", "sent") },
  ];
}
