import { execFile } from "node:child_process";
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { chmodSync, readlinkSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { promisify } from "node:util";
import type { Logger } from "../log.ts";
import { readSmall } from "../proc/fast-read.ts";
import { countTransactions } from "./parse-report.ts";

const run = promisify(execFile);

export interface EndpointOptions {
  /** UDP port on 127.0.0.1 (StatsD's is 8125); 0 picks a free one (tests). */
  udpPort: number;
  /** Unix stream socket path; created mode 0666 so any local application can report. */
  socketPath: string;
  log: Logger;
  /** The environment whose process holds the socket with this inode now, if any. */
  ownerOf: (socketInode: string) => string | undefined;
}

export class EndpointPortTakenError extends Error {}

/**
 * The local endpoint applications report transactions to. A report is attributed to the environment of
 * the process that sent it, never to a name the sender claims, so one tenant cannot bill another:
 * - UDP: the sender's source address:port is looked up in /proc/net/udp to get its socket inode, and
 *   the inode's holder found among the environments' processes.
 * - unix socket: Node has no SO_PEERCRED, so on accept we ask `ss -x` for our accepted socket's peer
 *   inode (sock_diag's UNIX_DIAG_PEER) and find the process holding it. Once per connection.
 * A report whose sender belongs to no environment is counted as unattributed and logged.
 */
export class TransactionEndpoint {
  private readonly counts = new Map<string, bigint>();
  private readonly udpOwners = new Map<string, string | undefined>();
  private udp?: UdpSocket;
  private server?: Server;
  private readonly connections = new Set<Socket>();
  unattributed = 0n;
  udpAddress?: { address: string; port: number };

  constructor(private readonly options: EndpointOptions) {}

  async start(): Promise<void> {
    const udp = createSocket({ type: "udp4", reuseAddr: false });
    await new Promise<void>((resolve, reject) => {
      udp.once("error", (error: NodeJS.ErrnoException) =>
        reject(
          error.code === "EADDRINUSE"
            ? new EndpointPortTakenError(
                `transactions endpoint: 127.0.0.1:${this.options.udpPort} is taken by another process; two listeners would silently split the reports`,
              )
            : error,
        ),
      );
      udp.bind({ address: "127.0.0.1", port: this.options.udpPort, exclusive: true }, () => resolve());
    });
    udp.on("message", (message, remote) => this.onDatagram(message.toString("latin1"), remote));
    this.udp = udp;
    this.udpAddress = udp.address();
    rmSync(this.options.socketPath, { force: true });
    const server = createServer((socket) => this.onConnection(socket));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.socketPath, () => resolve());
    });
    chmodSync(this.options.socketPath, 0o666);
    this.server = server;
  }

  /** What each environment reported since the previous call; the tick drains it into its batch. */
  take(environmentId: string): bigint {
    const count = this.counts.get(environmentId) ?? 0n;
    this.counts.delete(environmentId);
    return count;
  }

  /** Source ports are looked up again after each tick: a port may be reused by another process. */
  forgetSenders(): void {
    this.udpOwners.clear();
  }

  async close(): Promise<void> {
    this.udp?.close();
    for (const socket of this.connections) socket.destroy();
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
    rmSync(this.options.socketPath, { force: true });
  }

  private onDatagram(text: string, remote: { address: string; port: number }) {
    const key = `${remote.address}:${remote.port}`;
    if (!this.udpOwners.has(key)) {
      const inode = udpInode(remote.address, remote.port);
      this.udpOwners.set(key, inode === undefined ? undefined : this.options.ownerOf(inode));
    }
    this.record(this.udpOwners.get(key), text, "udp");
  }

  private onConnection(socket: Socket) {
    this.connections.add(socket);
    socket.on("close", () => this.connections.delete(socket));
    let owner: Promise<string | undefined> | undefined;
    let buffered = "";
    socket.on("data", (chunk) => {
      owner ??= this.peerOwner(socket);
      buffered += chunk.toString("latin1");
      const end = buffered.lastIndexOf("\n");
      if (end < 0) return;
      const complete = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      void owner.then((id) => this.record(id, complete, "unix"));
    });
    socket.on("end", () => {
      if (buffered && owner) void owner.then((id) => this.record(id, buffered, "unix"));
    });
    socket.on("error", () => socket.destroy());
  }

  private async peerOwner(socket: Socket): Promise<string | undefined> {
    const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
    if (fd === undefined || fd < 0) return undefined;
    const ours = /socket:\[(\d+)\]/.exec(readlinkSync(`/proc/self/fd/${fd}`))?.[1];
    const { stdout } = await run("ss", ["-xH", "src", this.options.socketPath]);
    for (const line of stdout.split("\n")) {
      const f = line.trim().split(/\s+/);
      // u_str ESTAB 0 0 <path> <our inode> * <peer inode>
      if (f[5] === ours && f[7]) return this.options.ownerOf(f[7]);
    }
    return undefined;
  }

  private record(environmentId: string | undefined, text: string, via: string) {
    const { count, refused } = countTransactions(text);
    if (refused) this.options.log.warn("transaction report refused", { via, refused, environmentId });
    if (count === 0n) return;
    if (environmentId === undefined) {
      this.unattributed += count;
      this.options.log.warn("transaction report from a process in no environment", {
        via,
        count: String(count),
      });
      return;
    }
    this.counts.set(environmentId, (this.counts.get(environmentId) ?? 0n) + count);
  }
}

/** The inode of the UDP socket bound to address:port, from /proc/net/udp (hex, little-endian IPv4). */
function udpInode(address: string, port: number): string | undefined {
  const hexAddress = address
    .split(".")
    .reverse()
    .map((octet) => Number(octet).toString(16).padStart(2, "0"))
    .join("")
    .toUpperCase();
  const local = `${hexAddress}:${port.toString(16).padStart(4, "0").toUpperCase()}`;
  for (const line of (readSmall("/proc/net/udp") ?? "").split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f[1] === local) return f[9];
  }
  return undefined;
}
