import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { detectCgroupLayout } from "../cgroup/layout.ts";
import type { EnvironmentConfig } from "../environments/scope.ts";
import { silentLogger } from "../log.ts";
import { Sampler } from "../sampler.ts";
import { emptyState } from "../state.ts";
import {
  cgroupPids,
  cgroupSkipReason,
  createTestCgroup,
  destroyTestCgroup,
  spawnInCgroup,
  type TestCgroup,
} from "../testing/cgroup-fixture.ts";
import { within } from "../testing/decimal.ts";
import { TransactionEndpoint } from "../transactions/endpoint.ts";

const layout = detectCgroupLayout();
const skipReason = cgroupSkipReason(layout);
if (skipReason) console.warn(`workload accuracy tests skipped: ${skipReason}`);

const openFiles = 37;
const diskBytes = 8 * 1024 * 1024;
const perClientIn = 300_000;
const perClientOut = 200_000;
const peers = ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.2"]; // 4 connections, 3 users

// The workload: opens N files, writes 8 MiB with fsync, serves TCP (reads perClientIn from each client,
// answers perClientOut), reports transactions by UDP (3 × 5) and by the unix socket (7), keeps it all open.
const workload = `
const fs = require("node:fs"), net = require("node:net"), dgram = require("node:dgram");
const { DIR, TX_PORT, TX_SOCK, N, DISK, IN, OUT, CLIENTS } = process.env;
const keep = [];
for (let i = 0; i < Number(N); i++) keep.push(fs.openSync(DIR + "/f" + i, "w"));
const fd = fs.openSync(DIR + "/disk", "w");
const chunk = Buffer.alloc(1 << 20, 7);
for (let i = 0; i < Number(DISK) / chunk.length; i++) { fs.writeSync(fd, chunk); fs.fsyncSync(fd); }
fs.closeSync(fd);
const udp = dgram.createSocket("udp4");
udp.bind(0, "127.0.0.1", () => {
  for (let i = 0; i < 3; i++) udp.send("transactions:5|c\\nother:9|c", Number(TX_PORT), "127.0.0.1");
});
const unix = net.connect(TX_SOCK, () => unix.write("app.transactions:7|c\\n"));
let served = 0;
const server = net.createServer((socket) => {
  let got = 0;
  socket.on("data", (d) => {
    got += d.length;
    if (got === Number(IN)) socket.write(Buffer.alloc(Number(OUT), 1), () => {
      if (++served === Number(CLIENTS)) setTimeout(() => console.log("done"), 300);
    });
  });
});
server.listen(0, "127.0.0.1", () => console.log("port " + server.address().port));
setInterval(() => {}, 1000);
`;

/** The kernel's view of a process's descriptors, classified by stat, independently of the collector. */
function kernelDescriptors(pid: number) {
  const counts = { file: 0, socket: 0, pipe: 0, other: 0 };
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    const stat = statSync(`/proc/${pid}/fd/${fd}`, { throwIfNoEntry: false });
    if (!stat) continue;
    if (stat.isFile()) counts.file++;
    else if (stat.isSocket()) counts.socket++;
    else if (stat.isFIFO()) counts.pipe++;
    else counts.other++;
  }
  return counts;
}

/** tcp_info of the server side of our connections, and its distinct peers, as `ss` shows them. */
function kernelTcp(port: number) {
  const out = execFileSync("ss", ["-tinHO", "state", "established", "sport", `= :${port}`], {
    encoding: "utf8",
  });
  let received = 0n;
  let sent = 0n;
  const remotes = new Set<string>();
  for (const line of out.split("\n").filter(Boolean)) {
    received += BigInt(/bytes_received:(\d+)/.exec(line)?.[1] ?? 0);
    sent += BigInt(/bytes_sent:(\d+)/.exec(line)?.[1] ?? 0);
    remotes.add(line.trim().split(/\s+/)[3]?.replace(/:\d+$/, "") ?? "");
  }
  return { received, sent, users: remotes.size };
}

describe.skipIf(skipReason !== undefined)("every meter against the kernel, on real workloads", () => {
  const cleanup: Array<() => unknown> = [];
  let cgroup: TestCgroup | undefined;
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
    if (cgroup) await destroyTestCgroup(cgroup);
    cgroup = undefined;
  });

  it("open files and resources exact, disk and network within 2%, users and transactions exact", async () => {
    cgroup = createTestCgroup(layout);
    const dir = mkdtempSync(join("/var/tmp", "mp-workload-"));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const env: EnvironmentConfig = {
      id: randomUUID(),
      kind: "cgroup",
      selector: cgroup.selector,
      meters: ["open_files", "open_resources", "data_throughput", "concurrent_users", "transactions"],
    };
    let sampler: Sampler | undefined;
    const socketPath = join(mkdtempSync(join(tmpdir(), "mp-tx-")), "tx.sock");
    const endpoint = new TransactionEndpoint({
      udpPort: 0,
      socketPath,
      log: silentLogger,
      ownerOf: (inode) => sampler?.ownerOf(inode),
    });
    await endpoint.start();
    cleanup.push(() => endpoint.close());
    sampler = new Sampler(emptyState(), layout, silentLogger, endpoint);
    const t0 = 1_800_000_000;
    await sampler.sample([env], t0, 10); // baselines, with the cgroup still empty

    const child = spawnInCgroup(cgroup, workload, {
      DIR: dir,
      TX_PORT: String(endpoint.udpAddress?.port),
      TX_SOCK: socketPath,
      N: String(openFiles),
      DISK: String(diskBytes),
      IN: String(perClientIn),
      OUT: String(perClientOut),
      CLIENTS: String(peers.length),
    });
    const lines: string[] = [];
    const waitFor = (prefix: string) =>
      new Promise<string>((resolve) => {
        const check = () => {
          const line = lines.find((l) => l.startsWith(prefix));
          if (line) resolve(line);
          else setTimeout(check, 20);
        };
        check();
      });
    child.stdout.on("data", (d: Buffer) => lines.push(...d.toString().split("\n")));
    const port = Number((await waitFor("port ")).split(" ")[1]);
    const clients: Socket[] = [];
    for (const localAddress of peers) {
      const socket = connect({ host: "127.0.0.1", port, localAddress });
      socket.on("data", () => {});
      socket.write(Buffer.alloc(perClientIn, 2));
      clients.push(socket);
    }
    cleanup.push(() => {
      for (const socket of clients) socket.destroy();
    });
    await waitFor("done");

    const pid = cgroupPids(cgroup)[0] ?? 0;
    const kernelFds = kernelDescriptors(pid);
    const kernelIo = readFileSync(`/proc/${pid}/io`, "utf8");
    const kernelWrite = BigInt(/write_bytes: (\d+)/.exec(kernelIo)?.[1] ?? 0);
    const kernelRead = BigInt(/read_bytes: (\d+)/.exec(kernelIo)?.[1] ?? 0);
    const tcp = kernelTcp(port);
    const samples = await sampler.sample([env], t0 + 10, 10);
    const value = (meter: string, dims: Record<string, string> = {}) => {
      const sample = samples.find(
        (s) => s.meter === meter && Object.entries(dims).every(([k, v]) => s.dimensions?.[k] === v),
      );
      return BigInt(sample?.value ?? -1);
    };
    const report = {
      open_files: [value("open_files"), kernelFds.file],
      file: [value("open_resources", { kind: "file" }), kernelFds.file],
      socket: [value("open_resources", { kind: "socket" }), kernelFds.socket],
      pipe: [value("open_resources", { kind: "pipe" }), kernelFds.pipe],
      other: [value("open_resources", { kind: "other" }), kernelFds.other],
      disk_write: [value("data_throughput", { direction: "write" }), kernelWrite],
      disk_read: [value("data_throughput", { direction: "read" }), kernelRead],
      net_received: [value("data_throughput", { direction: "received" }), tcp.received],
      net_sent: [value("data_throughput", { direction: "sent" }), tcp.sent],
      concurrent_users: [value("concurrent_users"), tcp.users],
      transactions: [value("transactions"), 22],
    };
    console.info(
      `accuracy (meter vs kernel): ${Object.entries(report)
        .map(([k, [a, b]]) => `${k}=${a}/${b}`)
        .join(" ")}`,
    );
    expect(value("open_files")).toBe(BigInt(kernelFds.file));
    expect(kernelFds.file).toBeGreaterThanOrEqual(openFiles);
    for (const kind of ["file", "socket", "pipe", "other"] as const)
      expect(value("open_resources", { kind })).toBe(BigInt(kernelFds[kind]));
    expect(kernelWrite).toBeGreaterThanOrEqual(BigInt(diskBytes));
    expect(within(value("data_throughput", { direction: "write" }), kernelWrite, 2n)).toBe(true);
    expect(value("data_throughput", { direction: "read" })).toBe(kernelRead);
    expect(tcp.received).toBe(BigInt(perClientIn * peers.length));
    expect(within(value("data_throughput", { direction: "received" }), tcp.received, 2n)).toBe(true);
    expect(within(value("data_throughput", { direction: "sent" }), tcp.sent, 2n)).toBe(true);
    expect(tcp.users).toBe(3);
    expect(value("concurrent_users")).toBe(3n);
    expect(value("transactions")).toBe(22n);
    expect(endpoint.unattributed).toBe(0n);
  }, 30_000);
});
