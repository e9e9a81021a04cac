import { execFileSync } from "node:child_process";
import { readSmall } from "./fast-read.ts";

/** One TCP socket of /proc/net/tcp{,6}: addresses as the kernel prints them (hex), and its inode. */
export interface InetSocket {
  listening: boolean;
  established: boolean;
  localPort: number;
  remoteAddress: string;
  inode: string;
}

const listen = "0A";
const established = "01";

/**
 * Parses /proc/<pid>/net/tcp and tcp6 (the socket tables of that process's network namespace; pid
 * "self" is the collector's own). Remote addresses stay in the kernel's hex form: only their
 * distinctness matters, and an IPv4 peer on a v6 socket is told apart from the same IPv4 peer on a v4
 * socket by normalising v4-mapped addresses to their v4 form.
 */
export function readInetSockets(pid: number | "self"): InetSocket[] {
  const sockets: InetSocket[] = [];
  for (const table of ["tcp", "tcp6"]) {
    const text = readSmall(`/proc/${pid}/net/${table}`);
    if (text === null) continue;
    const lines = text.split("\n");
    for (let i = 1; i < lines.length; i++) {
      const f = lines[i]?.trim().split(/\s+/);
      if (!f || f.length < 10) continue;
      const [local = "", remote = "", state = "", inode = ""] = [f[1], f[2], f[3], f[9]];
      const colon = local.lastIndexOf(":");
      const remoteHost = remote.slice(0, remote.lastIndexOf(":"));
      sockets.push({
        listening: state === listen,
        established: state === established,
        localPort: Number.parseInt(local.slice(colon + 1), 16),
        remoteAddress:
          remoteHost.length === 32 && remoteHost.startsWith("0000000000000000FFFF0000")
            ? remoteHost.slice(24)
            : remoteHost,
        inode,
      });
    }
  }
  return sockets;
}

/** Per-socket TCP byte counters from the kernel's tcp_info (ss -tie), keyed by socket inode. */
export interface TcpCounters {
  received: bigint;
  sent: bigint;
}

/**
 * `ss` is the only way to tcp_info from Node without a native addon (sock_diag needs netlink). One spawn
 * per tick, for the whole host, and only when some environment meters network bytes.
 */
export function readTcpCounters(): Map<string, TcpCounters> {
  const text = execFileSync("ss", ["-tinHeO", "state", "all"], { encoding: "latin1", maxBuffer: 64 << 20 });
  return parseSsCounters(text);
}

export function parseSsCounters(text: string): Map<string, TcpCounters> {
  const counters = new Map<string, TcpCounters>();
  for (const line of text.split("\n")) {
    const inode = / ino:(\d+)/.exec(line)?.[1];
    if (!inode || inode === "0") continue;
    const received = / bytes_received:(\d+)/.exec(line)?.[1];
    const sent = / bytes_sent:(\d+)/.exec(line)?.[1];
    counters.set(inode, { received: BigInt(received ?? 0), sent: BigInt(sent ?? 0) });
  }
  return counters;
}

/** Bytes received and sent on a namespace's interfaces other than loopback (/proc/<pid>/net/dev). */
export function readNetDev(pid: number): TcpCounters | null {
  const text = readSmall(`/proc/${pid}/net/dev`);
  if (text === null) return null;
  let received = 0n;
  let sent = 0n;
  for (const line of text.split("\n").slice(2)) {
    const [name, rest] = line.split(":");
    if (!name || !rest || name.trim() === "lo") continue;
    const f = rest.trim().split(/\s+/);
    received += BigInt(f[0] ?? 0);
    sent += BigInt(f[8] ?? 0);
  }
  return { received, sent };
}
