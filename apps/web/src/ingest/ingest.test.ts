import { Agent, request } from "node:http";
import { gunzipSync } from "node:zlib";
import { systemActor } from "@meterplane/db";
import { removeEnvironment, revokeHostCredential } from "@meterplane/fleet";
import {
  aMeteredTenant,
  eventually,
  type RunningProcess,
  serviceEnv,
  startWeb,
  useTestDatabase,
} from "@meterplane/testing";
import { acceptBatch } from "@meterplane/usage";
import { encodeBatch, postBatch, simulatedBatches } from "@meterplane/usage/test";
import { type FlatBatch, samplesOfSeries } from "@meterplane/wire";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { epochCheckMs } from "./authenticate-cached";

// biome-ignore lint/correctness/useHookAtTopLevel: a vitest helper named like a hook, not a React hook.
const t = useTestDatabase();
/** /metrics answers only a caller holding the web process's METRICS_TOKEN. */
const metricsToken = "an-ingest-test-metrics-token";
let web: RunningProcess & { url: string };

// No worker runs here, so every accepted batch stays in the backlog.
beforeAll(async () => {
  web = await startWeb(serviceEnv(t, { INGEST_BACKLOG_LIMIT: "3", METRICS_TOKEN: metricsToken }));
});

afterAll(async () => {
  await web?.stop();
});

async function aCollector(batches: number) {
  const metered = await aMeteredTenant(t.db);
  const from = new Date(Date.now() - 3600_000);
  return {
    ...metered,
    batches: simulatedBatches({ environmentIds: [metered.environment.id], batches, from }),
  };
}

describe("POST /api/v1/ingest", () => {
  it("store a plain batch gzipped exactly as it was sent: a flat one stays flat", async () => {
    const { credential, batches } = await aCollector(1);
    const { sequence, series } = batches[0]!;
    const flat: FlatBatch = { sequence, collectorVersion: "0.1.0", samples: samplesOfSeries(series) };
    const sent = encodeBatch(flat, { gzip: false });
    const posted = await postBatch(web.url, credential, sent, { gzip: false });
    expect(posted).toMatchObject({ status: 202, body: { status: "accepted" } });
    const { rows } = await t.db.pool.query<{ body: Buffer }>(`SELECT body FROM "SampleBatch" WHERE id = $1`, [
      (posted.body as { batchId: string }).batchId,
    ]);
    expect(gunzipSync(rows[0]!.body).toString("utf8")).toBe(sent.toString("utf8"));
  });

  it("acknowledge gzip and plain batches once, replays as duplicates even when the backlog is full, and back off then", async () => {
    const { credential, batches } = await aCollector(40);
    const [first, ...rest] = batches;
    const accepted = await postBatch(web.url, credential, encodeBatch(first!));
    expect(accepted).toMatchObject({ status: 202, body: { status: "accepted" } });
    const replay = await postBatch(web.url, credential, encodeBatch(first!, { gzip: false }), {
      gzip: false,
    });
    expect(replay.body).toEqual({ ...(accepted.body as object), status: "duplicate" });

    // The backlog count is read again only every few seconds (1 s once near the limit), so a few more pass
    // before the refusals start.
    let refused: { sequence: number; response: Response } | undefined;
    for (const batch of rest) {
      const response = await fetch(`${web.url}/api/v1/ingest`, {
        method: "POST",
        headers: { authorization: `Bearer ${credential}`, "content-type": "application/json" },
        body: new Uint8Array(encodeBatch(batch, { gzip: false })),
      });
      if (response.status === 429) {
        refused = { sequence: batch.sequence, response };
        break;
      }
      expect(response.status).toBe(202);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(Number(refused?.response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused?.response.json()).toMatchObject({ error: { code: "BACKLOG_FULL" } });
    const { rows } = await t.db.pool.query(`SELECT 1 FROM "SampleBatch" WHERE sequence = $1`, [
      refused?.sequence,
    ]);
    expect(rows).toHaveLength(0);
    // A replay is recognised before back-pressure: answered as the duplicate it is, not refused.
    const replayWhileFull = await postBatch(web.url, credential, encodeBatch(first!));
    expect(replayWhileFull).toMatchObject({ status: 202, body: { status: "duplicate" } });
  });

  it("is answered by the web server itself, whatever the query string, and only to POST", async () => {
    const unauthenticated = await fetch(`${web.url}/api/v1/ingest?via=proxy`, { method: "POST" });
    expect(unauthenticated.status).toBe(401);
    expect(await unauthenticated.json()).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
    const get = await fetch(`${web.url}/api/v1/ingest`);
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expect(await get.json()).toMatchObject({ error: { code: "METHOD_NOT_ALLOWED" } });
  });

  it("refuse a revoked credential within seconds, even one it has just trusted", async () => {
    const { credential, host, batches } = await aCollector(1);
    expect((await postBatch(web.url, credential, encodeBatch(batches[0]!))).status).not.toBe(401);
    const row = await t.db.prisma.hostCredential.findFirstOrThrow({ where: { hostId: host.id } });
    await revokeHostCredential({ db: t.db, actor: systemActor, credentialId: row.id });
    const revokedAt = Date.now();
    const refused = await eventually(async () => {
      const posted = await postBatch(web.url, credential, encodeBatch(batches[0]!));
      return posted.status === 401 && posted;
    }, "a 401");
    expect(Date.now() - revokedAt).toBeLessThan(epochCheckMs + 2000);
    expect(refused.body).toMatchObject({ error: { code: "CREDENTIAL_REVOKED" } });
  });

  it("refuse a removed environment's new samples within seconds, though it trusted the environment", async () => {
    const metered = await aMeteredTenant(t.db);
    // Samples that start a minute from now: after the removal, so they cannot count once it is seen.
    const [first, second] = simulatedBatches({
      environmentIds: [metered.environment.id],
      batches: 2,
      from: new Date(Date.now() + 60_000),
    });
    // Checked and trusted: accepted, or refused only by the backlog earlier tests filled (checked after).
    expect([202, 429]).toContain((await postBatch(web.url, metered.credential, encodeBatch(first!))).status);
    await removeEnvironment({
      db: t.db,
      actor: systemActor,
      tenantId: metered.tenant.id,
      environmentId: metered.environment.id,
    });
    const removedAt = Date.now();
    const refused = await eventually(async () => {
      const posted = await postBatch(web.url, metered.credential, encodeBatch(second!));
      return posted.status !== 202 && posted.status !== 429 && posted;
    }, "a refusal");
    expect(Date.now() - removedAt).toBeLessThan(epochCheckMs + 2000);
    expect(refused.body).toMatchObject({ error: { code: "UNKNOWN_ENVIRONMENT" } });
  });

  it("expose ingest, rejection, queue and lag figures to Prometheus", async () => {
    const response = await fetch(`${web.url}/metrics`, {
      headers: { authorization: `Bearer ${metricsToken}` },
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/mp_ingest_batches_total\{status="accepted"\} [1-9]/);
    expect(text).toMatch(/mp_ingest_rejected_total\{code="BACKLOG_FULL"\} [1-9]/);
    expect(text).toMatch(/mp_queue_depth\{state="waiting"\} \d/);
    expect(text).toMatch(/mp_aggregation_lag_seconds \d/);
    expect(text).toMatch(/mp_ingest_ack_seconds_bucket/);
  });

  it("keep a collector's connection from one 10 s interval to the next, and tell its client so", async () => {
    const { credential, batches, host } = await aCollector(1);
    // Stored already, so both posts are answered as replays (202) however full the backlog is by now.
    await acceptBatch({ db: t.db, hostId: host.id, batch: batches[0]! });
    // One socket at most: a second request either reuses the first's connection or opens a new one.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const post = (body: Buffer) =>
      new Promise<{ status: number; keepAlive: string; port: number | undefined }>((resolve, reject) => {
        const posting = request(
          `${web.url}/api/v1/ingest`,
          {
            method: "POST",
            agent,
            headers: {
              authorization: `Bearer ${credential}`,
              "content-type": "application/json",
              "content-encoding": "gzip",
            },
          },
          (response) => {
            // The connection's own port, read while the answer holds it (the agent takes it back at the end).
            const port = response.socket.localPort;
            response.resume();
            response.on("end", () =>
              resolve({
                status: response.statusCode ?? 0,
                keepAlive: String(response.headers["keep-alive"]),
                port,
              }),
            );
          },
        );
        posting.on("error", reject);
        posting.end(body);
      });
    try {
      const first = await post(encodeBatch(batches[0]!));
      // Longer than Node's default keep-alive (5 s), which closed every connection between two ticks.
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      const second = await post(encodeBatch(batches[0]!));
      expect(first).toMatchObject({ status: 202, keepAlive: "timeout=75" });
      expect(second).toMatchObject({ status: 202, port: first.port });
    } finally {
      agent.destroy();
    }
  });
});
