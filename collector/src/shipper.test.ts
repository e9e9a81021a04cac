import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { batchSchema, type FlatBatch } from "@meterplane/wire";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FatalError } from "./errors.ts";
import { silentLogger } from "./log.ts";
import { Shipper } from "./shipper.ts";
import { Spool } from "./spool.ts";
import { readStatus } from "./status.ts";
import { sampleOf } from "./testing/factories.ts";
import { type Reply, scriptedServer } from "./testing/scripted-server.ts";
import { collectorVersion } from "./version.ts";

describe("Shipper", () => {
  let stateDir: string;
  let close: () => Promise<unknown>;
  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), "mp-ship-"));
  });
  afterEach(async () => {
    await close?.();
    rmSync(stateDir, { recursive: true, force: true });
  });

  async function setup(replies: Reply[]) {
    const server = await scriptedServer(replies);
    close = server.close;
    const spool = new Spool(stateDir, { maxBytes: 1 << 20, log: silentLogger });
    const shipper = new Shipper({
      auth: { server: server.url, credential: "mpc_test" },
      spool,
      stateDir,
      log: silentLogger,
      backoff: { baseMs: 10, maxMs: 50 },
    });
    return { server, spool, shipper };
  }

  it("retries after a 500, then deletes the batch the server accepted", async () => {
    const { server, spool, shipper } = await setup([
      { status: 500, body: { error: { code: "INTERNAL", message: "boom" } } },
      { status: 202, body: { batchId: "b1", status: "accepted" } },
    ]);
    const batch = spool.append([sampleOf("2.5")]);
    await shipper.drain();
    expect(server.received).toHaveLength(2);
    const [, second] = server.received;
    expect(batchSchema.parse(second?.body)).toEqual(batch);
    expect(second?.headers).toMatchObject({
      authorization: "Bearer mpc_test",
      "content-type": "application/json",
      "content-encoding": "gzip",
      "x-collector-version": collectorVersion,
    });
    expect(spool.entries()).toEqual([]);
    expect(readStatus(stateDir)).toMatchObject({
      lastAckedSequence: 1,
      lastShip: { result: "accepted", sequence: 1 },
    });
  });

  it("ships a flat batch a 0.1.0 collector left in its spool as it was written", async () => {
    const { server, spool, shipper } = await setup([
      { status: 202, body: { batchId: "b1", status: "accepted" } },
    ]);
    const flat: FlatBatch = {
      sequence: 1,
      collectorVersion: "0.1.0",
      samples: [sampleOf("2.5"), sampleOf("3")],
    };
    writeFileSync(join(spool.dir, "0000000000000001.json"), JSON.stringify(flat));
    await shipper.drain();
    expect(server.received.map((request) => request.body)).toEqual([flat]);
    expect(spool.entries()).toEqual([]);
  });

  it("stops on a revoked credential with exit code 3 and keeps the batch", async () => {
    const { server, spool, shipper } = await setup([
      { status: 401, body: { error: { code: "CREDENTIAL_REVOKED", message: "enroll again" } } },
    ]);
    spool.append([sampleOf("1")]);
    spool.append([sampleOf("2")]);
    const error = await shipper.drain().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalError);
    expect((error as FatalError).exitCode).toBe(3);
    expect(server.received).toHaveLength(1);
    expect(spool.entries()).toHaveLength(2);
  });

  it("keeps the batch and waits when the server requires an upgrade, rather than stopping", async () => {
    const { server, spool, shipper } = await setup([
      { status: 426, body: { error: { code: "UPGRADE_REQUIRED", message: "1.0.0" } } },
    ]);
    spool.append([sampleOf("1")]);
    const [entry] = spool.entries();
    await expect(shipper.shipOne(entry!)).resolves.toBe(30_000);
    expect(server.received).toHaveLength(1);
    expect(spool.entries()).toHaveLength(1);
  });

  it("moves a batch the server refuses as invalid aside and goes on with the next", async () => {
    const { server, spool, shipper } = await setup([
      { status: 400, body: { error: { code: "VALIDATION_FAILED", message: "too old" } } },
      { status: 202, body: { batchId: "b2", status: "duplicate" } },
    ]);
    spool.append([sampleOf("1")]);
    spool.append([sampleOf("2")]);
    await shipper.drain();
    expect(server.received).toHaveLength(2);
    expect(readdirSync(join(stateDir, "rejected"))).toEqual(["0000000000000001.json"]);
    expect(spool.entries()).toEqual([]);
  });
});
