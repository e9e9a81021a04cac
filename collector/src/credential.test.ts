import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { credentialPath, enrollHost } from "./credential.ts";
import { silentLogger } from "./log.ts";
import { Shipper } from "./shipper.ts";
import { Spool } from "./spool.ts";
import { sampleOf } from "./testing/factories.ts";
import { type Reply, scriptedServer } from "./testing/scripted-server.ts";

const hostId = "0b6d7a52-4f5e-4c1a-9d2b-3e4f5a6b7c8d";
const accepted: Reply = { status: 202, body: { batchId: "1", status: "accepted" } };

describe("enrollHost", () => {
  let stateDir: string;
  let close: () => Promise<unknown>;
  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), "mp-enroll-"));
  });
  afterEach(async () => {
    await close?.();
    rmSync(stateDir, { recursive: true, force: true });
  });

  /** Enrolls a fresh state directory against a server answering `answer`, then spools and ships one batch. */
  async function enrollAndShipOne(answer: Record<string, unknown>) {
    const server = await scriptedServer([{ status: 201, body: answer }, accepted]);
    close = server.close;
    await enrollHost({ server: server.url, token: "mpe_0123456789_secret", stateDir });
    const spool = new Spool(stateDir, { maxBytes: 1 << 20, log: silentLogger });
    spool.append([sampleOf("1")]);
    const auth = { server: server.url, credential: String(answer.credential) };
    await new Shipper({ auth, spool, stateDir, log: silentLogger }).drain();
    return server.received;
  }

  it("starts the state directory at the sequence the server gives, so a reinstalled host's batches are new", async () => {
    const [enroll, ingest] = await enrollAndShipOne({ hostId, credential: "mpc_new", nextSequence: 8 });
    expect(enroll).toMatchObject({
      url: "/api/v1/collector/enroll",
      body: { token: "mpe_0123456789_secret" },
    });
    expect(ingest).toMatchObject({ url: "/api/v1/ingest", body: { sequence: 8 } });
    expect(JSON.parse(readFileSync(credentialPath(stateDir), "utf8"))).toMatchObject({
      hostId,
      credential: "mpc_new",
    });
  });

  it("starts at 1 when an older server answers without a next sequence", async () => {
    const [, ingest] = await enrollAndShipOne({ hostId, credential: "mpc_new" });
    expect(ingest).toMatchObject({ url: "/api/v1/ingest", body: { sequence: 1 } });
  });
});
