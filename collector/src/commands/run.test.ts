import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { type Batch, batchSchema, type CollectorConfig, samplesOfSeries } from "@meterplane/wire";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "../log.ts";
import { Spool } from "../spool.ts";
import { readStatus } from "../status.ts";
import { collectorVersion } from "../version.ts";
import { runCollector } from "./run.ts";

/** A stand-in for the web app's two collector endpoints, on a real socket. */
async function fakeServer(config: CollectorConfig, refuseWith?: { status: number; body: unknown }) {
  const batches: Batch[] = [];
  let refused = 0;
  const reports: unknown[] = [];
  const configRequests: Array<string | undefined> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.url === "/api/v1/collector/config") {
        configRequests.push(req.headers["if-none-match"]);
        if (req.headers["if-none-match"] === '"v1"') return res.writeHead(304).end();
        return res
          .writeHead(200, { ETag: '"v1"', "Content-Type": "application/json" })
          .end(JSON.stringify(config));
      }
      if (req.url === "/api/v1/collector/report") {
        reports.push(JSON.parse(Buffer.concat(chunks).toString()));
        return res.writeHead(204).end();
      }
      if (refuseWith) {
        refused += 1;
        return res
          .writeHead(refuseWith.status, { "Content-Type": "application/json" })
          .end(JSON.stringify(refuseWith.body));
      }
      const batch = batchSchema.parse(JSON.parse(gunzipSync(Buffer.concat(chunks)).toString()));
      batches.push(batch);
      res
        .writeHead(202, { "Content-Type": "application/json" })
        .end(JSON.stringify({ batchId: String(batch.sequence), status: "accepted" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    batches,
    configRequests,
    reports,
    get refused() {
      return refused;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe("runCollector", () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0)) await fn();
  });

  function setup(config: Partial<CollectorConfig>) {
    const stateDir = mkdtempSync(join(tmpdir(), "mp-run-"));
    cleanup.push(() => rmSync(stateDir, { recursive: true, force: true }));
    return {
      stateDir,
      config: { hostId: randomUUID(), intervalSeconds: 1, minimumVersion: null, environments: [], ...config },
    };
  }

  it("samples on the clock, ships every batch, and exits 0 on a stop signal", async () => {
    const workload = spawn("sleep", ["30"]);
    cleanup.push(() => workload.kill());
    const envId = randomUUID();
    const policyId = randomUUID();
    const { stateDir, config } = setup({
      policy: { id: policyId, version: 3, spoolMaxBytes: 1 << 20, transactionsUdpPort: null },
      environments: [
        {
          id: envId,
          kind: "process_tree",
          selector: `pid:${workload.pid}`,
          meters: ["cpu", "memory", "processes"],
        },
      ],
    });
    const server = await fakeServer(config);
    cleanup.push(server.close);
    const stop = new AbortController();
    const run = runCollector({
      stateDir,
      auth: { server: server.url, credential: "mpc_x" },
      log: silentLogger,
      signal: stop.signal,
      maxSpoolBytes: 1 << 20,
      transactions: { udpPort: 0, socketPath: join(stateDir, "tx.sock") },
    });
    // Three ticks: a baseline and two counter deltas (waited for, not timed: the machine may be busy).
    for (let waited = 0; server.batches.length < 3 && waited < 8000; waited += 100)
      await new Promise((resolve) => setTimeout(resolve, 100));
    stop.abort();
    expect(await run).toBe(0);

    const samples = server.batches.flatMap((batch) => samplesOfSeries(batch.series));
    expect(server.batches.map((b) => b.sequence)).toEqual(server.batches.map((_, i) => i + 1));
    expect(
      samples.filter((s) => s.meter === "processes").every((s) => s.value === "1" && s.seconds === 1),
    ).toBe(true);
    expect(samples.filter((s) => s.meter === "cpu").length).toBeGreaterThanOrEqual(1); // first tick is a baseline
    expect(samples.every((s) => s.environmentId === envId && s.start.endsWith("Z"))).toBe(true);
    // The client policy arrives whole, and the collector says which version it applies.
    expect(server.reports.at(-1)).toMatchObject({
      version: collectorVersion,
      policy: { id: policyId, version: 3 },
    });
  }, 15_000);

  it("keeps metering and spooling, without exiting, while the server answers its batches 426", async () => {
    const workload = spawn("sleep", ["30"]);
    cleanup.push(() => workload.kill());
    const { stateDir, config } = setup({
      minimumVersion: "9.0.0",
      environments: [
        { id: randomUUID(), kind: "process_tree", selector: `pid:${workload.pid}`, meters: ["processes"] },
      ],
    });
    const server = await fakeServer(config, {
      status: 426,
      body: { error: { code: "UPGRADE_REQUIRED", message: "this host must run collector 9.0.0 or later" } },
    });
    cleanup.push(server.close);
    const stop = new AbortController();
    const run = runCollector({
      stateDir,
      auth: { server: server.url, credential: "mpc_x" },
      log: silentLogger,
      signal: stop.signal,
      maxSpoolBytes: 1 << 20,
      transactions: { udpPort: 0, socketPath: join(stateDir, "tx.sock") },
    });
    await new Promise((resolve) => setTimeout(resolve, 3200));
    const spooledWhileRefused = new Spool(stateDir, { maxBytes: 1 << 20, log: silentLogger }).entries();
    stop.abort();
    expect(await run).toBe(0);

    expect(server.refused).toBe(1); // asked once, then waits rather than hammering
    expect(spooledWhileRefused.length).toBeGreaterThanOrEqual(2);
    expect(spooledWhileRefused[0]?.sequence).toBe(1);
    expect(readStatus(stateDir).lastShip).toMatchObject({ result: "upgrade", httpStatus: 426, sequence: 1 });
  }, 10_000);
});
