import { type ProcStat, type ProcTable, parseProcStat, readProcTable } from "../environments/process-tree.ts";
import { type Descriptors, readDescriptors } from "./descriptors.ts";
import { keyedValue, readLink, readSmall } from "./fast-read.ts";
import { type InetSocket, readInetSockets, readTcpCounters, type TcpCounters } from "./sockets.ts";

export interface ProcessIo {
  read: bigint;
  write: bigint;
}

/**
 * Everything read from /proc during one tick, each at most once however many environments or meters
 * ask: the process table, each process's descriptors and I/O, the TCP tables of each network namespace
 * and the host's per-socket counters. Nothing outlives the tick.
 */
export class TickReader {
  private table?: ProcTable;
  private readonly stats = new Map<number, ProcStat | null>();
  private readonly descriptors = new Map<number, Descriptors>();
  private readonly ios = new Map<number, ProcessIo | null>();
  private readonly inet = new Map<string, InetSocket[]>();
  private readonly namespaces = new Map<number, string | null>();
  private counters?: Map<string, TcpCounters>;
  private ownNetns?: string | null;

  constructor(private readonly procRoot = "/proc") {}

  procTable(): ProcTable {
    this.table ??= readProcTable(this.procRoot);
    return this.table;
  }

  stat(pid: number): ProcStat | null {
    if (this.table) return this.table.get(pid) ?? null;
    let stat = this.stats.get(pid);
    if (stat === undefined) {
      const text = readSmall(`${this.procRoot}/${pid}/stat`);
      stat = text === null ? null : parseProcStat(pid, text);
      this.stats.set(pid, stat);
    }
    return stat;
  }

  fds(pid: number): Descriptors {
    let value = this.descriptors.get(pid);
    if (!value) {
      value = readDescriptors(pid);
      this.descriptors.set(pid, value);
    }
    return value;
  }

  io(pid: number): ProcessIo | null {
    let value = this.ios.get(pid);
    if (value === undefined) {
      const text = readSmall(`${this.procRoot}/${pid}/io`);
      const read = text === null ? undefined : keyedValue(text, "read_bytes");
      const write = text === null ? undefined : keyedValue(text, "write_bytes");
      value = read === undefined || write === undefined ? null : { read, write };
      this.ios.set(pid, value);
    }
    return value;
  }

  /** The network namespace of a process ("net:[4026531840]"), or null if it exited. */
  netns(pid: number): string | null {
    let ns = this.namespaces.get(pid);
    if (ns === undefined) {
      ns = readLink(`${this.procRoot}/${pid}/ns/net`);
      this.namespaces.set(pid, ns);
    }
    return ns;
  }

  /** Whether a process shares the collector's network namespace (so `ss` and /proc/net see its sockets). */
  sharesOurNetns(pid: number): boolean {
    if (this.ownNetns === undefined) this.ownNetns = readLink(`${this.procRoot}/self/ns/net`);
    return this.netns(pid) === this.ownNetns;
  }

  /** TCP sockets of the namespace `pid` lives in, read once per namespace. */
  inetSockets(pid: number): InetSocket[] {
    const ns = this.netns(pid) ?? `pid:${pid}`;
    let value = this.inet.get(ns);
    if (!value) {
      value = readInetSockets(pid);
      this.inet.set(ns, value);
    }
    return value;
  }

  tcpCounters(): Map<string, TcpCounters> {
    this.counters ??= readTcpCounters();
    return this.counters;
  }
}
