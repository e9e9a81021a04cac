import { type ChildProcess, execFile, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { detectCgroupLayout } from "@meterplane/collector/cgroup";
import { type BuiltRelease, buildRelease, generateReleaseKey } from "@meterplane/collector/release";
import {
  cgroupSkipReason,
  createTestCgroup,
  destroyTestCgroup,
  spawnInCgroup,
  type TestCgroup,
} from "@meterplane/collector/testing";
import {
  eventually,
  freePort,
  type RunningProcess,
  repoRoot,
  serviceEnv,
  startWeb,
  startWorker,
  useTestDatabase,
} from "@meterplane/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, logIn, pick, shot, submit } from "./portal-browser.ts";
import { TestHost } from "./test-host.ts";

/**
 * A new operator's first customer, from a clean database to a finalized invoice, in the portal alone: the
 * only things done outside the browser are what an operator does on the host (unpack the collector's
 * release tarball, paste the command the portal shows) and what the customer's application does (send
 * bytes). The invoice's egress line is then compared with what the kernel counted.
 */
const t = useTestDatabase();
const layout = detectCgroupLayout();
const skip = cgroupSkipReason(layout);
const owner = { email: "owner@journey.test", password: "owner-password-1", name: "Olive Owner" };
/** An odd number of bytes, so a count off by a chunk, a header or a rounding shows. */
const egressBytes = 3_000_017;
const cleanups: (() => unknown)[] = [];
let url: string;
let browser: Browser;
let page: Page;
let host: TestHost;
let release: BuiltRelease;
let cgroup: TestCgroup | undefined;
let sink: { server: Server; port: number; received: () => number };
let workload: ChildProcess | undefined;
let environmentUrl = "";
let kernelSent = 0n;
let billingAnchor: Date;

/** A TCP server outside the environment that reads and counts whatever the workload sends it. */
async function startSink(): Promise<typeof sink> {
  let received = 0;
  const server = createServer((socket) =>
    socket.on("data", (chunk) => {
      received += chunk.length;
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as { port: number }).port, received: () => received };
}

/**
 * The kernel's tcp_info for the workload's connection (the sink's port as destination): `bytes_sent`, the
 * payload bytes it put on the wire, retransmissions included, and `bytes_retrans`, those retransmitted.
 */
function kernelTcpInfo(port: number): { sent: bigint; retransmitted: bigint } {
  const out = execFileSync("ss", ["-tinHO", "state", "established", "dport", `= :${port}`], {
    encoding: "utf8",
  });
  const lines = out.split("\n").filter(Boolean);
  expect(lines).toHaveLength(1);
  const field = (name: string) => BigInt(new RegExp(`\\b${name}:(\\d+)`).exec(lines[0]!)?.[1] ?? 0);
  return { sent: field("bytes_sent"), retransmitted: field("bytes_retrans") };
}

/** What the rollups hold of network bytes sent (the test's database has this one environment). */
async function networkSentInRollups(): Promise<bigint> {
  const { rows } = await t.db.pool.query<{ total: string | null }>(
    `SELECT sum(sum)::text AS total FROM "UsageHourly"
      WHERE meter = 'data_throughput' AND dimensions->>'channel' = 'network' AND dimensions->>'direction' = 'sent'`,
  );
  return BigInt((rows[0]?.total ?? "0").split(".")[0]!);
}

const minute = 60_000;
/** Bytes as the egress metric's MB (÷ 1,000,000), exactly, without trailing zeros. */
const megabytes = (bytes: bigint) =>
  `${bytes / 1_000_000n}.${(bytes % 1_000_000n).toString().padStart(6, "0")}`.replace(/\.?0+$/, "");
/** `YYYY-MM-DDTHH:MM`, what a datetime-local input takes, in UTC. */
const dateTimeInput = (d: Date) => d.toISOString().slice(0, 16);

beforeAll(async () => {
  if (skip) return;
  // The first operator of a fresh installation, as the README says to make one.
  await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "scripts/create-owner.ts", owner.email, owner.name],
    { cwd: repoRoot, env: { ...process.env, DATABASE_URL: t.url, MP_OWNER_PASSWORD: owner.password } },
  );
  host = new TestHost();
  cleanups.push(() => host.remove());
  // The operator's release, built and signed as collector/README.md says; the operator publishes it on the way.
  const key = generateReleaseKey(join(host.root, "release-key"));
  release = await buildRelease({
    outDir: join(host.root, "release"),
    privateKeyPem: readFileSync(key.privateKeyPath, "utf8"),
  });
  const env = serviceEnv(t, {
    MP_INSECURE_COOKIES: "1",
    COLLECTOR_RELEASE_PUBLIC_KEY: key.publicKey,
    // No scheduled invoice run: the invoice the test opens is the one its "Run invoicing now" writes.
    INVOICE_RUN_CRON: "0 1 1 1 *",
  });
  const web = await startWeb(env);
  cleanups.push(() => web.stop());
  const worker: RunningProcess = await startWorker(env);
  cleanups.push(() => worker.stop());
  url = web.url;
  sink = await startSink();
  cleanups.push(() => new Promise((resolve) => sink.server.close(resolve)));
  browser = await launchChromium();
  cleanups.push(() => browser.close());
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.setDefaultTimeout(30_000);
  page.on("dialog", (dialog) => void dialog.accept());
}, 300_000);

afterAll(async () => {
  workload?.kill("SIGKILL");
  if (host) await host.stop("meterplane-collector");
  if (cgroup) await destroyTestCgroup(cgroup);
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Reloads the page until `probe` says yes; the pages refresh on their own, a reload is only quicker. */
async function untilShown(probe: () => Promise<boolean>, what: string, timeoutMs = 120_000) {
  await eventually(
    async () => {
      await page.reload();
      return probe();
    },
    what,
    timeoutMs,
  );
}

describe.skipIf(skip !== undefined)(
  `an operator onboards, prices and bills a customer from the portal${skip ? ` (skipped: ${skip})` : ""}`,
  // Generous: a loaded 2-core machine, and the last step waits for the billing period to end.
  { timeout: 420_000 },
  () => {
    it("signs in to a fresh installation", async () => {
      await logIn(page, url, owner.email, owner.password);
      await expect(page.getByTestId("who").textContent()).resolves.toContain("owner");
      await shot(page, "journey-01-dashboard");
    });

    it("adds the customer as a tenant", async () => {
      await page.goto(`${url}/tenants`);
      await page.fill('[data-testid="create-tenant"] input[name="name"]', "Bluefin Labs");
      await page.fill('[data-testid="create-tenant"] input[name="slug"]', "bluefin");
      await Promise.all([
        page.waitForURL(/\/tenants\/[0-9a-f-]{36}$/),
        page.click('[data-testid="create-tenant"] button'),
      ]);
      await shot(page, "journey-02-tenant");
    });

    it("adds a host, runs the enrollment command the portal shows on it verbatim, and sees its collector report", async () => {
      // A policy of its own: a short interval, and a transactions port no other collector on this machine holds.
      await page.goto(`${url}/policies`);
      const policy = page.locator('form:has(button:has-text("Create policy"))');
      await policy.locator('input[name="name"]').fill("Fast");
      await policy.locator('input[name="intervalSeconds"]').fill("2");
      await policy.locator('input[name="transactionsUdpPort"]').fill(String(await freePort()));
      await policy.locator('button[type="submit"]').click();
      await policy.locator(".notice").waitFor();
      await shot(page, "journey-03-policies");

      // The release the command installs: built and signed as collector/README.md says, published here.
      await page.goto(`${url}/releases`);
      const publish = page.getByTestId("publish-release");
      await publish.locator('input[name="version"]').fill(release.version);
      await publish.locator('input[name="artifact"]').setInputFiles(release.tarball);
      await publish.locator('input[name="signature"]').fill(release.signature);
      await publish.locator('button[type="submit"]').click();
      await expect(publish.locator(".notice").textContent()).resolves.toContain("with its signed artifact");
      await shot(page, "journey-03-release");

      await page.goto(`${url}/hosts`);
      await page.fill('[data-testid="create-host"] input[name="name"]', "app-01");
      await page.selectOption('[data-testid="create-host"] select[name="policyId"]', { label: "Fast" });
      await Promise.all([
        page.waitForURL(/\/hosts\/[0-9a-f-]{36}$/),
        page.click('[data-testid="create-host"] button'),
      ]);
      await submit(page, "issue-token");
      const command = (await page.getByTestId("command").textContent()) ?? "";
      expect(command).toContain(`${url}/api/v1/collector/releases/${release.version}/artifact`);
      expect(command).toContain(`enroll --server ${url} mpe_`);
      await shot(page, "journey-04-host-enrollment");

      // On the host, which has nothing of Meterplane yet: the command, pasted as shown.
      await host.run(command);
      await untilShown(
        async () =>
          ((await page.getByTestId("collector-state").textContent()) ?? "").includes(
            `Collector ${release.version}`,
          ),
        "the collector's report on the host page",
      ).catch((error: Error) => {
        throw new Error(`${error.message}; the collector's log:\n${host.unitLog("meterplane-collector")}`);
      });
      await shot(page, "journey-05-host-reporting");
    });

    it("adds an environment on the customer's cgroup and sees it reporting", async () => {
      cgroup = createTestCgroup(layout);
      await page.goto(`${url}/environments`);
      const form = page.getByTestId("create-environment");
      await pick(form, "Tenant", "bluefin", "Bluefin Labs (bluefin)");
      await form.locator('input[name="name"]').fill("checkout");
      await form.locator('select[name="kind"]').selectOption("cgroup");
      await form.locator('input[name="selector"]').fill(cgroup.selector);
      await Promise.all([page.waitForURL(/\/environments\/[0-9a-f-]{36}$/), form.locator("button").click()]);
      environmentUrl = page.url();
      // Its first readings are the counters' baselines: the workload starts only after them, so all it sends counts.
      await untilShown(
        async () => (await page.locator(".badge", { hasText: /^reporting$/ }).count()) > 0,
        "the environment reporting",
        // The collector learns of a new environment at its next configuration poll (every 30 s or its interval,
        // whichever is longer), then its readings have to be shipped and aggregated: 40-50 s on a loaded machine.
        180_000,
      );
      await shot(page, "journey-06-environment-reporting");
      await page.goto(`${url}/environments`);
      await shot(page, "journey-07-environments");
    });

    it("shows the bytes the customer's application sends as live usage", async () => {
      // One connection, kept open once the bytes are out: the collector's per-socket counters see all of them.
      workload = spawnInCgroup(
        cgroup!,
        `const socket = require("node:net").connect(Number(process.env.PORT), "127.0.0.1", () => {
           let left = Number(process.env.BYTES);
           const next = () => {
             const n = Math.min(left, 65536);
             left -= n;
             if (n > 0) socket.write(Buffer.alloc(n, 7), () => setTimeout(next, 5));
             else console.log("sent");
           };
           next();
         });
         setInterval(() => {}, 60000);`,
        { PORT: String(sink.port), BYTES: String(egressBytes) },
      );
      await eventually(
        async () => sink.received() === egressBytes,
        "the sink to receive every byte",
        120_000,
      );
      const tcp = kernelTcpInfo(sink.port);
      kernelSent = tcp.sent;
      // What the kernel sent is the payload and whatever it sent again: even on loopback a loaded machine
      // can answer an ACK after the retransmission timer fired. The collector counts both, as the kernel does.
      expect(tcp.sent - tcp.retransmitted).toBe(BigInt(egressBytes));
      console.info(`kernel: ${tcp.sent} bytes sent, ${tcp.retransmitted} of them retransmitted`);
      // The collector ships each tick's delta and the worker folds it in: wait for all of it, by the kernel's
      // count at that moment (a retransmission still under way adds to both).
      await eventually(
        async () => (await networkSentInRollups()) === kernelTcpInfo(sink.port).sent,
        "the rollups to hold every byte the kernel sent",
        120_000,
      );
      kernelSent = kernelTcpInfo(sink.port).sent;

      const traffic = page.locator('[data-meter="data_throughput"]');
      await page.goto(environmentUrl);
      await untilShown(
        async () =>
          (await traffic.getAttribute("data-state")) !== "empty" &&
          ((await traffic.locator(".usage-chart-figure").textContent()) ?? "") !== "",
        "network bytes on the environment's charts",
      );
      await shot(page, "journey-08-environment-usage");
    });

    it("defines a CPU metric and an egress metric, and a plan that prices them", async () => {
      await page.goto(`${url}/plans`);
      const metric = page.getByTestId("create-metric");
      const addMetric = async (fields: Record<string, string>, selects: Record<string, string>) => {
        for (const [name, value] of Object.entries(fields))
          await metric.locator(`input[name="${name}"]`).fill(value);
        for (const [name, value] of Object.entries(selects))
          await metric.locator(`select[name="${name}"]`).selectOption(value);
        await metric.locator('button:has-text("Add metric")').click();
        await page.locator(`.notice:has-text('${fields.code}')`).waitFor();
        await page.reload();
      };
      await addMetric(
        { code: "cpu_hours", name: "CPU", unit: "core-hours", divisor: "3600" },
        { meter: "cpu", aggregation: "sum" },
      );
      await addMetric(
        { code: "egress_mb", name: "Egress", unit: "MB", divisor: "1000000" },
        { meter: "data_throughput", aggregation: "sum", channel: "network", direction: "sent" },
      );
      await expect(page.getByTestId("metrics").textContent()).resolves.toContain(
        "sum(data_throughput where channel=network, direction=sent) ÷ 1000000 → MB",
      );
      await shot(page, "journey-09-metrics");

      const plan = page.getByTestId("create-plan");
      await plan.locator('input[name="code"]').fill("starter");
      await plan.locator('input[name="name"]').fill("Starter");
      const cpu = plan.getByTestId("charge-0");
      await cpu.locator('select[aria-label="Metric"]').selectOption("cpu_hours");
      await cpu.locator('input[aria-label="Unit price"]').fill("0.08");
      await plan.locator('button:has-text("Add usage charge")').click();
      const egress = plan.getByTestId("charge-1");
      await egress.locator('select[aria-label="Metric"]').selectOption("egress_mb");
      await egress.locator('select[aria-label="Model"]').selectOption("graduated");
      // The first MB free, then 0.40 a MB.
      await egress.locator('input[aria-label="Tier 1 up to"]').fill("1");
      await egress.getByTestId("tier").nth(0).locator('input[aria-label="Unit price"]').fill("0");
      await egress.getByTestId("tier").nth(1).locator('input[aria-label="Unit price"]').fill("0.40");
      await egress.locator('input[aria-label="Preview quantity"]').fill("3");
      await plan.locator('button:has-text("Add flat fee")').click();
      const base = plan.getByTestId("charge-2");
      await base.locator('input[aria-label="Name"]').fill("Base fee");
      await base.locator('input[aria-label="Amount"]').fill("49");
      // 100 core-hours at 0.08 (8) + 2 MB at 0.40 (0.80) + 49
      await eventually(
        async () => (await page.getByTestId("preview-total").textContent()) === "57.80",
        "the plan's price preview",
      );
      // A slip in two places: each refusal shows at its own field, and what was typed stays.
      await plan.locator('input[name="currency"]').fill("XYZ");
      await egress.getByTestId("tier").nth(1).locator('input[aria-label="Unit price"]').fill("0.4O");
      await plan.locator('button[type="submit"]').click();
      await expect(plan.locator("p.error").textContent()).resolves.toBe(
        "2 fields need fixing: Currency, Charge 2 tier 2 unit price",
      );
      await expect(
        plan.locator('label:has(input[name="currency"]) .field-error').textContent(),
      ).resolves.toBe("XYZ is not an ISO 4217 currency code, like USD or EUR");
      await expect(egress.getByTestId("tier").nth(1).locator(".field-error").textContent()).resolves.toBe(
        "Tier 2 unit price: a non-negative decimal string with at most 12 decimals",
      );
      await shot(page, "journey-10-plan-refused");
      await plan.locator('input[name="currency"]').fill("USD");
      await egress.getByTestId("tier").nth(1).locator('input[aria-label="Unit price"]').fill("0.40");
      await shot(page, "journey-10-plan-editor");
      await Promise.all([
        page.waitForURL(/\/plans\/[0-9a-f-]{36}$/),
        plan.locator('button[type="submit"]').click(),
      ]);
      await shot(page, "journey-11-plan");
    });

    it("subscribes the customer and sees the current period's estimate, usage priced", async () => {
      // The first, partial period ends at the billing anchor, a couple of minutes from now: long enough to look
      // at the estimate, short enough for the test to see the period end and invoice it.
      billingAnchor = new Date(Math.ceil((Date.now() + 2 * minute) / minute) * minute);
      await page.goto(`${url}/subscriptions`);
      const form = page.getByTestId("create-subscription");
      await pick(form, "Tenant", "bluefin", "Bluefin Labs (bluefin)");
      await pick(form, "Plan", "starter", "Starter v1 (USD)");
      await form.locator('input[name="startAt"]').fill(new Date().toISOString().slice(0, 10));
      await form.locator('input[name="billingAnchor"]').fill(dateTimeInput(billingAnchor));
      await expect(submit(page, "create-subscription")).resolves.toContain(
        `periods start at ${dateTimeInput(billingAnchor).replace("T", " ")} UTC`,
      );
      await page.reload();
      await shot(page, "journey-12-subscriptions");

      await page.goto(environmentUrl);
      const estimate = page.getByTestId("estimate-lines");
      const egressLine = estimate.locator("tr", { hasText: "Egress" });
      await egressLine.waitFor();
      // Everything the workload sent was in the rollups before the subscription: the estimate prices all of it.
      await expect(egressLine.locator("td").nth(1).textContent()).resolves.toBe(megabytes(kernelSent));
      const total = (await estimate.locator("tr").last().locator("th").last().textContent()) ?? "";
      expect(Number(total.replace(/[^\d.]/g, ""))).toBeGreaterThan(0);
      await shot(page, "journey-13-estimate");
    });

    it("runs invoicing once the period has ended, and the invoice bills the bytes the kernel counted", async () => {
      // Once every byte is acknowledged the connection sends nothing more, retransmissions included.
      expect(kernelTcpInfo(sink.port).sent).toBe(kernelSent);
      await eventually(
        async () => Date.now() >= billingAnchor.getTime() + 1000,
        "the period to end",
        5 * minute,
      );

      await page.goto(`${url}/invoice-runs`);
      await expect(submit(page, "run-invoicing")).resolves.toContain("Invoice run started");
      const invoiceLink = page.locator('[data-testid="runs"] a[href^="/invoices/"]').first();
      await untilShown(async () => (await invoiceLink.count()) > 0, "the run's invoice", 120_000);
      await shot(page, "journey-14-invoice-runs");
      await Promise.all([page.waitForURL(/\/invoices\/[0-9a-f-]{36}\/[0-9a-f-]{36}$/), invoiceLink.click()]);
      await page.locator("h1", { hasText: /Invoice \S+-\d+/ }).waitFor();
      const egressRow = page.getByTestId("lines").locator("tbody tr", { hasText: "Egress" }).first();
      const quantity = await egressRow.locator("td.num span[title]").first().getAttribute("title");
      // Exact: one long-lived TCP connection, opened after the collector's baseline and still open at its
      // last reading, is what the collector's per-socket counters count without loss (collector/README.md,
      // "Network bytes": only connections shorter than a tick, or the tail of one closed between ticks, are lost).
      expect(quantity).toBe(`${megabytes(kernelSent)} MB`);
      await expect(page.getByTestId("period").textContent()).resolves.toBeTruthy();
      await shot(page, "journey-15-invoice");
    });
  },
);
