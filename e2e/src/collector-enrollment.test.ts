import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { systemActor } from "@meterplane/db";
import { issueEnrollmentToken } from "@meterplane/fleet";
import {
  aMeteredTenant,
  type RunningProcess,
  repoRoot,
  serviceEnv,
  startWeb,
  useTestDatabase,
} from "@meterplane/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCpuBatch } from "./batches.ts";
import { shipped, startCollector } from "./collector-crash-harness.ts";

const t = useTestDatabase();
const cleanups: (() => unknown)[] = [];
let web: RunningProcess & { url: string };

beforeAll(async () => {
  web = await startWeb(serviceEnv(t));
  cleanups.push(() => web.stop());
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe("a collector enrolled with a new state directory on a host that sent batches before", () => {
  it("continues after the host's last stored sequence, and its first batch is accepted", async () => {
    // A process tree that exists on every host, so the collector has something to ship at once.
    const { host, credential, environment } = await aMeteredTenant(t.db, { selector: "pid:1" });
    const policy = await t.db.prisma.clientPolicy.create({
      data: { name: `enroll-${host.id}`, intervalSeconds: 1, meters: [] },
    });
    await t.db.prisma.host.update({ where: { id: host.id }, data: { policyId: policy.id } });
    for (const sequence of [1, 2, 3]) {
      const response = await fetch(`${web.url}/api/v1/ingest`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${credential}` },
        // Each earlier batch holds other samples, so a reused sequence would be refused, not taken as a replay.
        body: aCpuBatch({ environmentId: environment.id, sequence, value: String(sequence) }),
      });
      expect(response.status).toBe(202);
    }

    // The host reinstalled: a new token, enrolled into an empty state directory.
    const { token } = await issueEnrollmentToken({ db: t.db, actor: systemActor, hostId: host.id });
    const stateDir = mkdtempSync(join(tmpdir(), "collector-enroll-"));
    cleanups.push(() => rmSync(stateDir, { recursive: true, force: true }));
    await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "collector/src/cli.ts", "enroll", "--server", web.url, "--token", token],
      { cwd: repoRoot, env: { ...process.env, METERPLANE_STATE_DIR: stateDir } },
    );
    const collector = startCollector({
      METERPLANE_STATE_DIR: stateDir,
      METERPLANE_TRANSACTIONS_PORT: "0",
      METERPLANE_TRANSACTIONS_SOCKET: join(stateDir, "transactions.sock"),
    });
    cleanups.push(async () => {
      collector.child.kill("SIGTERM");
      await collector.exited;
    });

    // Without the server's next sequence, batches 1 to 3 would be refused (SEQUENCE_REUSED) and moved aside.
    const first = await collector.next(
      (line) => shipped(line) || line.msg === "batch rejected by the server; moved aside",
      "the first batch shipped",
    );
    expect(first).toMatchObject({ msg: "batch shipped", sequence: 4, status: "accepted" });
    expect(readdirSync(join(stateDir, "rejected"))).toEqual([]);
    const keys = await t.db.prisma.batchKey.findMany({
      where: { hostId: host.id },
      orderBy: { sequence: "asc" },
    });
    expect(keys.slice(0, 4).map((key) => Number(key.sequence))).toEqual([1, 2, 3, 4]);
  });
});
