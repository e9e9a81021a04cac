import { readFileSync } from "node:fs";
import { createUser } from "@meterplane/access";
import { systemActor } from "@meterplane/fleet";
import {
  eventually,
  type RunningProcess,
  startWeb,
  startWorker,
  uniqueQueuePrefix,
  useTestDatabase,
} from "@meterplane/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, logIn, shot, submit } from "./portal-browser.ts";

const t = useTestDatabase();
const running: RunningProcess[] = [];
let browser: Browser;
let page: Page;
let url: string;
const owner = { email: "owner@portal.test", password: "owner-password-1" };

beforeAll(async () => {
  await createUser({
    db: t.db,
    actor: systemActor,
    email: owner.email,
    name: "Olive Owner",
    password: owner.password,
    operatorRole: "owner",
  });
  const env = {
    DATABASE_URL: t.url,
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    MP_QUEUE_PREFIX: uniqueQueuePrefix(),
    MP_INSECURE_COOKIES: "1",
  };
  const web = await startWeb(env);
  running.push(web, await startWorker(env));
  url = web.url;
  browser = await launchChromium();
  page = await (
    await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } })
  ).newPage();
  page.on("dialog", (dialog) => void dialog.accept());
}, 120_000);

afterAll(async () => {
  await browser?.close();
  for (const process of running.reverse()) await process.stop();
});

const lastMonth = () => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
};

describe("an operator in the portal", () => {
  it("signs in and sees the dashboard", async () => {
    await logIn(page, url, owner.email, owner.password);
    await expect(page.getByTestId("who").textContent()).resolves.toContain("owner");
    await page.getByTestId("hosts").waitFor();
    await shot(page, "dashboard");
  });

  it("creates a tenant, a host with an enrollment token and an environment", async () => {
    await page.goto(`${url}/tenants`);
    await page.fill('[data-testid="create-tenant"] input[name="name"]', "Acme Apps");
    await page.fill('[data-testid="create-tenant"] input[name="slug"]', "acme-apps");
    await Promise.all([
      page.waitForURL(/\/tenants\/[0-9a-f-]{36}$/),
      page.click('[data-testid="create-tenant"] button'),
    ]);
    await page.goto(`${url}/tenants`);
    await expect(page.getByTestId("tenants").textContent()).resolves.toContain("Acme Apps");
    await shot(page, "tenants");

    await page.goto(`${url}/hosts`);
    await page.fill('[data-testid="create-host"] input[name="name"]', "web-01");
    await Promise.all([
      page.waitForURL(/\/hosts\/[0-9a-f-]{36}$/),
      page.click('[data-testid="create-host"] button'),
    ]);
    await submit(page, "issue-token");
    const token = (await page.getByTestId("secret").textContent()) ?? "";
    expect(token).toMatch(/^mpe_/);
    await shot(page, "host");
    const enrolled = await fetch(`${url}/api/v1/collector/enroll`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token }),
    });
    expect(enrolled.status).toBe(201);
    credential = ((await enrolled.json()) as { credential: string }).credential;

    await page.goto(`${url}/environments`);
    const form = '[data-testid="create-environment"]';
    await page.fill(`${form} input[name="tenant"]`, "acme-apps");
    await page.fill(`${form} input[name="name"]`, "shop");
    await page.fill(`${form} input[name="selector"]`, "pid:1");
    await Promise.all([page.waitForURL(/\/environments\/[0-9a-f-]{36}$/), page.click(`${form} button`)]);
    environmentId = page.url().split("/").at(-1)!;
    await page.goto(`${url}/environments`);
    await shot(page, "environments");
  });

  it("defines a plan with a live price preview and subscribes the tenant", async () => {
    await page.goto(`${url}/plans`);
    await page.fill('input[name="code"] >> nth=1', "cpu_core_hours");
    await page.fill('input[name="name"] >> nth=1', "CPU");
    await page.fill('input[name="meter"]', "cpu");
    await page.fill('input[name="unit"]', "core-hours");
    await page.fill('input[name="divisor"]', "3600");
    await page.click('button:has-text("Add metric")');
    await page.locator(".notice:has-text('cpu_core_hours')").waitFor();
    await page.reload();
    const plan = '[data-testid="create-plan"]';
    await page.fill(`${plan} input[name="code"]`, "pro");
    await page.fill(`${plan} input[name="name"]`, "Pro");
    await page.fill(`${plan} input[name="flatFee"]`, "49");
    await page.fill('input[aria-label="Preview quantity"]', "1500");
    await eventually(
      async () => (await page.getByTestId("preview-amount").textContent()) === "75",
      "the price preview",
    );
    await submit(page, "create-plan");
    await page.reload();
    await expect(page.getByTestId("plans").textContent()).resolves.toContain("Pro (pro)");
    await shot(page, "plans");

    await page.goto(`${url}/subscriptions`);
    await page.fill('[data-testid="create-subscription"] input[name="tenant"]', "acme-apps");
    await page.fill(
      '[data-testid="create-subscription"] input[name="startAt"]',
      lastMonth().toISOString().slice(0, 10),
    );
    await submit(page, "create-subscription");
    await page.reload();
    await expect(page.getByTestId("subscriptions").textContent()).resolves.toContain("Pro v1");
    await shot(page, "subscriptions");
  });

  it("sees usage a host ships appear in the explorer", async () => {
    const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 120_000).toISOString();
    const response = await fetch(`${url}/api/v1/ingest`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${credential}` },
      body: JSON.stringify({
        sequence: 1,
        collectorVersion: "1.0.0",
        samples: [
          { environmentId, meter: "cpu", start, seconds: 60, value: "42.5" },
          { environmentId, meter: "memory", start, seconds: 60, value: "104857600" },
        ],
      }),
    });
    expect(response.status).toBe(202);
    await eventually(async () => {
      await page.goto(`${url}/usage?tenant=acme-apps`);
      return (await page.locator('[data-meter="cpu"]').count()) > 0;
    }, "usage in the explorer");
    await expect(page.locator('[data-meter="cpu"] .value').textContent()).resolves.toBe("42.5");
    await shot(page, "usage");
  });

  it("finalizes last month's invoice and downloads its PDF", async () => {
    await page.goto(`${url}/subscriptions`);
    await page.fill('[data-testid="rate-period"] input[name="at"]', lastMonth().toISOString().slice(0, 10));
    await submit(page, "rate-period");
    await page.goto(`${url}/invoices`);
    await shot(page, "invoices");
    await Promise.all([
      page.waitForURL(/\/invoices\/[0-9a-f-]{36}\/[0-9a-f-]{36}$/),
      page.click('[data-testid="invoices"] tbody a'),
    ]);
    // Once finalized the page re-renders without the Finalize form, and the heading shows the number.
    await page.click('[data-testid="finalize"] button');
    await page.locator("h1", { hasText: /Invoice \S+-\d+/ }).waitFor();
    await expect(page.getByTestId("total").textContent()).resolves.toContain("49.00");
    await shot(page, "invoice");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click('a:has-text("Download PDF")'),
    ]);
    const pdf = readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  });

  it("forces a collector upgrade and sees who is behind", async () => {
    await page.goto(`${url}/releases`);
    await page.fill('[data-testid="publish-release"] input[name="version"]', "2.0.0");
    await submit(page, "publish-release");
    await page.reload();
    await submit(page, "force-upgrade");
    await page.reload();
    await expect(page.getByTestId("minimums").textContent()).resolves.toContain("2.0.0");
    await expect(page.getByTestId("behind").textContent()).resolves.toContain("web-01");
    await shot(page, "releases");
    const config = await fetch(`${url}/api/v1/collector/config`, {
      headers: { authorization: `Bearer ${credential}` },
    });
    expect(((await config.json()) as { minimumVersion: string }).minimumVersion).toBe("2.0.0");
  });

  it("finds every change in the audit log, and the other screens render", async () => {
    await page.goto(`${url}/audit`);
    const audit = (await page.getByTestId("audit").textContent()) ?? "";
    for (const action of [
      "tenant.create",
      "host.create",
      "environment.create",
      "invoice",
      "collector.minimum_version.set",
    ])
      expect(audit).toContain(action);
    await shot(page, "audit");
    for (const name of ["policies", "operators", "invoice-runs", ""]) {
      await page.goto(`${url}/${name}`);
      await shot(page, name || "dashboard-in-use");
    }
  });
});

let credential = "";
let environmentId = "";
