import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readlinkSync, rmSync, symlinkSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CollectorConfig } from "@meterplane/wire";
import { afterEach, describe, expect, it } from "vitest";
import { runCollector } from "../commands/run.ts";
import { silentLogger } from "../log.ts";
import { collectorVersion } from "../version.ts";
import { readUpgrade, writeUpgrade } from "./upgrade-state.ts";

/** A server that hands out a config and answers every batch 503: the new version never gets one acknowledged. */
async function serverRefusingBatches(config: CollectorConfig) {
  const reports: unknown[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.url === "/api/v1/collector/config")
        return res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(config));
      if (req.url === "/api/v1/collector/report") {
        reports.push(JSON.parse(Buffer.concat(chunks).toString()));
        return res.writeHead(204).end();
      }
      res
        .writeHead(503, { "Content-Type": "application/json" })
        .end(JSON.stringify({ error: { code: "UNAVAILABLE", message: "down for the test" } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    reports,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe("a new collector version on trial", () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0)) await fn();
  });

  it("that gets no batch acknowledged in time points `current` back at the previous release and exits 1", async () => {
    const root = mkdtempSync(join(tmpdir(), "mp-rollback-"));
    cleanup.push(() => rmSync(root, { recursive: true, force: true }));
    const installDir = join(root, "install");
    const stateDir = join(root, "state");
    mkdirSync(stateDir);
    for (const version of ["0.1.0", collectorVersion])
      mkdirSync(join(installDir, "releases", version), { recursive: true });
    symlinkSync(join("releases", collectorVersion), join(installDir, "current"));
    // What the previous version wrote before it restarted into this one.
    writeUpgrade(stateDir, {
      state: "restarting",
      target: collectorVersion,
      previous: "0.1.0",
      sha256: "ab",
    });

    const workload = spawn("sleep", ["30"]);
    cleanup.push(() => workload.kill());
    const server = await serverRefusingBatches({
      hostId: randomUUID(),
      intervalSeconds: 1,
      minimumVersion: null,
      environments: [
        { id: randomUUID(), kind: "process_tree", selector: `pid:${workload.pid}`, meters: ["processes"] },
      ],
    });
    cleanup.push(server.close);
    const code = await runCollector({
      stateDir,
      auth: { server: server.url, credential: "mpc_x" },
      log: silentLogger,
      signal: new AbortController().signal,
      maxSpoolBytes: 1 << 20,
      transactions: { udpPort: 0, socketPath: join(stateDir, "tx.sock") },
      shipperBackoff: { baseMs: 100, maxMs: 200 },
      upgrade: { installDir, trialSeconds: 3 },
    });

    expect(code).toBe(1);
    expect(readlinkSync(join(installDir, "current"))).toBe(join("releases", "0.1.0"));
    const record = readUpgrade(stateDir);
    expect(record).toMatchObject({ state: "failed", target: collectorVersion, sha256: "ab" });
    expect(record?.reason).toBe(
      `${collectorVersion} failed its first health check (no batch acknowledged within 3 s); rolled back to 0.1.0`,
    );
    await new Promise((resolve) => setTimeout(resolve, 200)); // the report is sent beside the exit
    expect(server.reports.at(-1)).toMatchObject({
      version: collectorVersion,
      upgrade: { state: "failed", target: collectorVersion },
    });
  }, 15_000);
});
