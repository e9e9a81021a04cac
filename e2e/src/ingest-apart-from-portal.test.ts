import {
  aMeteredTenant,
  type RunningProcess,
  serviceEnv,
  startIngest,
  startWeb,
  useTestDatabase,
} from "@meterplane/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCpuBatch } from "./batches.ts";

/**
 * Ingest does not share a fate with the portal (invariant 8): `npm start` runs it as a process of its own
 * (`server.mjs --ingest-only`), so a portal request that exhausts the heap — V8 then aborts the process with
 * SIGABRT — or throws leaves collectors' batches acknowledged.
 */
const t = useTestDatabase();
let portal: RunningProcess & { url: string };
let ingest: RunningProcess & { url: string };

beforeAll(async () => {
  const env = serviceEnv(t);
  portal = await startWeb(env);
  ingest = await startIngest(env, portal.url);
});
afterAll(async () => {
  await ingest?.stop();
  await portal?.stop();
});

const post = (credential: string, body: string) =>
  fetch(`${ingest.url}/api/v1/ingest`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${credential}` },
    body,
  });

describe("ingest in its own process", () => {
  it("passes a collector's other requests to the portal", async () => {
    const { credential } = await aMeteredTenant(t.db);
    const config = await fetch(`${ingest.url}/api/v1/collector/config`, {
      headers: { authorization: `Bearer ${credential}` },
    });
    expect(config.status).toBe(200);
  });

  it("keeps answering 202 after the portal process died as an exhausted heap kills it", async () => {
    const { environment, credential, host } = await aMeteredTenant(t.db);
    expect((await post(credential, aCpuBatch({ environmentId: environment.id, sequence: 1 }))).status).toBe(
      202,
    );

    // What an exhausted heap does to the portal: V8 aborts the process.
    portal.child.kill("SIGABRT");
    await new Promise((resolve) => portal.child.once("exit", resolve));
    expect((await post(credential, aCpuBatch({ environmentId: environment.id, sequence: 2 }))).status).toBe(
      202,
    );
    const stored = await t.db.prisma.batchKey.count({ where: { hostId: host.id } });
    expect(stored).toBe(2);
    // The collector's configuration waits for the portal, saying so.
    const config = await fetch(`${ingest.url}/api/v1/collector/config`, {
      headers: { authorization: `Bearer ${credential}` },
    });
    expect(config.status).toBe(503);
  });
});
