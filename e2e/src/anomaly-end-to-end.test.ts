import { spawn } from "node:child_process";
import { createHmac, timingSafeEqual } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createUser, logIn } from "@meterplane/access";
import { createWebhookEndpoint } from "@meterplane/alerts";
import { detectCgroupLayout } from "@meterplane/collector/cgroup";
import {
  cgroupSkipReason,
  createTestCgroup,
  destroyTestCgroup,
  spawnInCgroup,
  type TestCgroup,
} from "@meterplane/collector/testing";
import { systemActor } from "@meterplane/db";
import {
  aHost,
  anEnvironment,
  aTenant,
  eventually,
  type RunningProcess,
  repoRoot,
  serviceEnv,
  startWeb,
  startWorker,
  useTestDatabase,
} from "@meterplane/testing";
import { afterAll, describe, expect, it } from "vitest";

const t = useTestDatabase();
const layout = detectCgroupLayout();
const skip = cgroupSkipReason(layout);
const running: RunningProcess[] = [];
let cgroup: TestCgroup | undefined;
let receiver: Server | undefined;

afterAll(async () => {
  for (const process of running.reverse()) await process.stop();
  if (cgroup) await destroyTestCgroup(cgroup);
  await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
});

/** Points the detector learns before it may alert, as a deployment sets it (`ANOMALY_WARMUP_POINTS`). */
const warmup = 20;

/**
 * The workload: a service idling on a timer (a steady ~1 ms of CPU a second) until SIGUSR2, then burning a
 * core, as a runaway loop would, for at most a minute of wall time.
 */
const workload = `
setInterval(() => {}, 1000);
process.on("SIGUSR2", () => {
  let x = 0;
  const end = Date.now() + 60000;
  while (Date.now() < end) x += Math.sqrt(x);
});`;

interface Received {
  body: string;
  timestamp: string | undefined;
  signature: string | undefined;
  receivedAt: number;
}

/** A receiver's own check, independent of the product's code: HMAC-SHA256 over `<timestamp>.<body>`, fresh. */
function verified(secret: string, message: Received): boolean {
  const timestamp = Number(message.timestamp);
  if (!Number.isInteger(timestamp) || Math.abs(message.receivedAt / 1000 - timestamp) > 300) return false;
  const expected = Buffer.from(
    `v1=${createHmac("sha256", secret).update(`${timestamp}.${message.body}`).digest("hex")}`,
  );
  const given = Buffer.from(message.signature ?? "");
  return expected.length === given.length && timingSafeEqual(expected, given);
}

async function listen(received: Received[]): Promise<string> {
  receiver = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on("end", () => {
      received.push({
        body,
        timestamp: request.headers["meterplane-timestamp"] as string | undefined,
        signature: request.headers["meterplane-signature"] as string | undefined,
        receivedAt: Date.now(),
      });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
}

describe.skipIf(skip !== undefined)(`usage anomalies end to end${skip ? ` (skipped: ${skip})` : ""}`, () => {
  it("raises a CPU jump of a metered cgroup in the portal and by signed webhook, across a worker restart", {
    timeout: 480_000,
  }, async () => {
    cgroup = createTestCgroup(layout);
    const tenant = await aTenant(t.db);
    const { host, credential } = await aHost(t.db);
    const policy = await t.db.prisma.clientPolicy.create({
      // One meter, every second: the series under test gets a point a scan, and nothing else loads the machine.
      data: { name: `fast-${host.id}`, intervalSeconds: 1, meters: ["cpu"] },
    });
    await t.db.prisma.host.update({ where: { id: host.id }, data: { policyId: policy.id } });
    const environment = await anEnvironment(t.db, {
      tenantId: tenant.id,
      hostId: host.id,
      kind: "cgroup",
      selector: cgroup.selector,
    });
    const password = "anomaly-password-1";
    await createUser({
      db: t.db,
      actor: systemActor,
      email: "op@anomaly.test",
      name: "Op",
      password,
      operatorRole: "viewer",
    });
    const cookie = `mp_session=${(await logIn({ db: t.db, email: "op@anomaly.test", password })).token}`;
    const received: Received[] = [];
    const { secret } = await createWebhookEndpoint({ db: t.db, tenantId: null, url: await listen(received) });

    const workloadProcess = spawnInCgroup(cgroup, workload);
    const services = serviceEnv(t, {
      ANOMALY_SCAN_EVERY_MS: "1000",
      ANOMALY_WARMUP_POINTS: String(warmup),
      WEBHOOK_DELIVER_EVERY_MS: "500",
    });
    const web = await startWeb(services);
    running.push(web);
    let worker = await startWorker(services);
    running.push(worker);
    const collector = spawn(process.execPath, ["--import", "tsx", "collector/src/cli.ts", "run"], {
      cwd: repoRoot,
      env: {
        ...process.env,
        METERPLANE_SERVER: web.url,
        METERPLANE_CREDENTIAL: credential,
        METERPLANE_STATE_DIR: mkdtempSync(join(tmpdir(), "collector-")),
      },
      stdio: "ignore",
    });
    running.push({
      child: collector,
      output: () => "",
      stop: async () => void collector.kill("SIGTERM"),
      kill: async () => void collector.kill("SIGKILL"),
    });

    const cpuSeries = { environmentId: environment.id, meter: "cpu" };
    const pointsScored = async () => {
      const series = await t.db.prisma.anomalySeries.findFirst({ where: cpuSeries });
      return (series?.state as { n?: number } | undefined)?.n ?? 0;
    };
    const cpuAnomalies = () => t.db.prisma.anomaly.findMany({ where: cpuSeries });

    // The steady period: the detector learns the idle service past its warm-up, and nothing alerts.
    await eventually(
      async () => (await pointsScored()) >= warmup + 5,
      "the warm-up of the CPU series",
      120_000,
    );
    // A restart in the middle: the new worker must take the stored state up, not learn the series afresh.
    await worker.stop();
    const beforeRestart = await pointsScored();
    worker = await startWorker(services);
    running.push(worker);
    const afterRestart = await eventually(
      async () => {
        const n = await pointsScored();
        return n > beforeRestart ? n : undefined;
      },
      "the restarted worker to score the series",
      60_000,
    );
    expect(afterRestart).toBeGreaterThan(beforeRestart);
    expect(await cpuAnomalies()).toEqual([]);

    // The jump. A re-warmed detector could not alert before `warmup` more points; this one may at once.
    workloadProcess.kill("SIGUSR2");
    const [anomaly] = await eventually(
      async () => {
        const found = await cpuAnomalies();
        return found.length > 0 ? found : undefined;
      },
      "an anomaly of the CPU series",
      60_000,
    );
    expect(["spike", "level_shift"]).toContain(anomaly!.kind);
    expect((await pointsScored()) - beforeRestart).toBeLessThan(warmup);

    // The portal shows it: in the list filtered to the environment, and with its chart when selected.
    const page = async (query: string) => {
      const response = await fetch(`${web.url}/anomalies?${query}`, { headers: { cookie } });
      expect(response.status).toBe(200);
      return response.text();
    };
    const list = await page(`environment=${environment.id}`);
    expect(list).toContain(anomaly!.kind);
    expect(list).toContain(`/environments/${environment.id}`);
    expect(list).not.toContain("No anomalies");
    expect(await page(`anomaly=${anomaly!.id}`)).toContain(`${anomaly!.kind} on cpu (score`);

    // The webhook: signed over its timestamp and body with the endpoint's secret, carrying the anomaly.
    const message = await eventually(
      async () => received.find((m) => m.body.includes(anomaly!.id)),
      "the webhook delivery of the anomaly",
      30_000,
    );
    expect(verified(secret, message)).toBe(true);
    expect(verified("whsec_wrong", message)).toBe(false);
    expect(JSON.parse(message.body)).toMatchObject({
      type: "anomaly",
      id: anomaly!.id,
      environmentId: environment.id,
      meter: "cpu",
      kind: anomaly!.kind,
    });
    const delivery = await t.db.prisma.webhookDelivery.findFirst({ where: { anomalyId: anomaly!.id } });
    expect(delivery?.status).toBe("delivered");
  });
});
