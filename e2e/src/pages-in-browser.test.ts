import { readFileSync } from "node:fs";
import { createUser } from "@meterplane/access";
import { systemActor } from "@meterplane/db";
import { type RunningProcess, serviceEnv, startWeb, useTestDatabase } from "@meterplane/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, logIn, shot } from "./portal-browser.ts";
import { twoTenantsOnOneHost } from "./tenant-fixtures.ts";

const t = useTestDatabase();
let web: RunningProcess & { url: string };
let browser: Browser;
let fleet: Awaited<ReturnType<typeof twoTenantsOnOneHost>>;
let cpuLine: string;
const operator = { email: "owner@pages.test", password: "owner-password-1" };
const member = { email: "member@pages.test", password: "member-password-1" };
const widths = [
  { name: "1440", width: 1440, height: 900 },
  { name: "390", width: 390, height: 844 },
] as const;

beforeAll(async () => {
  fleet = await twoTenantsOnOneHost(t.db);
  const { a, b } = fleet;
  await createUser({ db: t.db, actor: systemActor, ...operator, name: "Olive Owner", operatorRole: "owner" });
  await createUser({ db: t.db, actor: systemActor, ...member, name: "Mo Member", tenantId: a.tenant.id });
  // A member of both tenants, so the tenant navigation offers a switch.
  const user = await t.db.prisma.user.findUniqueOrThrow({ where: { email: member.email } });
  await t.db.prisma.tenantMember.create({ data: { userId: user.id, tenantId: b.tenant.id } });
  await t.db.prisma.creditNote.create({
    data: {
      tenantId: a.tenant.id,
      invoiceId: a.invoice.id,
      number: "CN-PAGES-1",
      amount: "2.5",
      reason: "outage on October 3",
    },
  });
  cpuLine = await aLineRatedFromUsage();
  web = await startWeb(
    serviceEnv(t, {
      MP_INSECURE_COOKIES: "1",
      MP_SELLER_NAME: "Acme Hosting Ltd",
      MP_SELLER_ADDRESS: "1 Quay Street|Dublin|Ireland",
      MP_SELLER_TAX_ID: "IE1234567X",
    }),
  );
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

/**
 * Tenant A's first invoice line billed from its CPU hour: a per-unit charge of a core-hour metric, the hour as
 * its source, and the quantity the three samples of 1.5 core-seconds make (0.00125 core-hours at $8,000).
 */
async function aLineRatedFromUsage(): Promise<string> {
  const { a, hour } = fleet;
  const subscription = await t.db.prisma.subscription.findFirstOrThrow({ where: { tenantId: a.tenant.id } });
  const metric = await t.db.prisma.billableMetric.create({
    data: {
      code: `cpu-${a.tenant.id}`,
      name: "CPU core-hours",
      meter: "cpu",
      aggregation: "sum",
      unit: "core-hour",
      divisor: "3600",
    },
  });
  const charge = await t.db.prisma.charge.create({
    data: {
      planVersionId: subscription.planVersionId,
      billableMetricId: metric.id,
      model: "per_unit",
      properties: { unitPrice: "8000" },
    },
  });
  const line = await t.db.prisma.invoiceLine.findFirstOrThrow({
    where: { tenantId: a.tenant.id, invoiceId: a.invoice.id, position: 0 },
  });
  const source = {
    environmentId: a.environment.id,
    meter: "cpu",
    dimensionKey: "",
    bucketStart: new Date(hour).toISOString(),
    bucketEnd: new Date(hour + 3_600_000).toISOString(),
    granularity: "hour",
  };
  await t.db.prisma.invoiceLine.update({
    where: { tenantId_id: { tenantId: a.tenant.id, id: line.id } },
    data: { chargeId: charge.id, quantity: "0.00125", unitPrice: "8000", sources: [source] },
  });
  return line.id;
}

async function signedIn(who: typeof operator, width: number, height: number): Promise<Page> {
  const page = await (
    await browser.newContext({ viewport: { width, height }, acceptDownloads: true })
  ).newPage();
  if (who === operator) await logIn(page, web.url, who.email, who.password);
  else {
    await page.goto(`${web.url}/login`);
    await page.fill('input[name="email"]', who.email);
    await page.fill('input[name="password"]', who.password);
    await Promise.all([
      page.waitForURL(/\/tenant\/[0-9a-f-]{36}\/usage$/),
      page.click('button[type="submit"]'),
    ]);
  }
  return page;
}

/** How much wider than the viewport the page is (0 when it fits). */
const overflow = (page: Page) =>
  page.evaluate<number>("document.documentElement.scrollWidth - document.documentElement.clientWidth");

describe("a tenant member in Chromium", () => {
  it("reads an invoice as finance does: money with its symbol, the period in words, the credit note, the amount due", async () => {
    const page = await signedIn(member, 1440, 900);
    const { a } = fleet;
    await page.goto(`${web.url}/tenant/${a.tenant.id}/invoices`);
    const list = page.getByTestId("invoices");
    await expect(list.textContent()).resolves.toContain("October 1 – 31, 2026");
    await expect(list.textContent()).resolves.toContain("$12.50");
    await page.click(`[data-testid="invoices"] a:has-text("${a.invoice.number}")`);
    await page.getByTestId("invoice").waitFor();
    const invoice = (await page.getByTestId("invoice").textContent()) ?? "";
    expect(invoice).toContain("Acme Hosting Ltd");
    expect(invoice).toContain("Tax ID IE1234567X");
    expect(invoice).toContain(a.tenant.name);
    await expect(page.getByTestId("period").textContent()).resolves.toBe("October 1 – 31, 2026");
    expect(invoice).toContain("Credit note CN-PAGES-1");
    expect(invoice).toContain("−$2.50");
    await expect(page.getByTestId("total").textContent()).resolves.toBe("$12.50");
    await expect(page.getByTestId("amount-due").textContent()).resolves.toBe("$10.00");
    // Nothing raw: no 12-decimal figures, no ISO timestamps.
    expect(invoice).not.toMatch(/\d\.\d{6,}/);
    expect(invoice).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    await shot(page, "tenant-invoice-1440");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click('a:has-text("Download PDF")'),
    ]);
    const pdf = readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  });

  it("sees the current page marked, the other tenant to switch to, and a sign-out control", async () => {
    const page = await signedIn(member, 1440, 900);
    const { a, b } = fleet;
    for (const [path, label] of [
      ["usage", "Usage"],
      ["estimate", "Current period"],
      ["invoices", "Invoices"],
      ["api-keys", "API keys"],
    ] as const) {
      await page.goto(`${web.url}/tenant/${a.tenant.id}/${path}`);
      await expect(page.locator('.sidebar [aria-current="page"]').textContent(), path).resolves.toBe(label);
    }
    await expect(page.locator(`.sidebar a[href="/tenant/${b.tenant.id}/usage"]`).textContent()).resolves.toBe(
      b.tenant.name,
    );
    await expect(page.locator('.sidebar form[action="/logout"] button').textContent()).resolves.toBe(
      "Sign out",
    );
  });

  it("at 390 px opens the navigation from a Menu button and keeps the page within the screen", async () => {
    const page = await signedIn(member, 390, 844);
    const { a } = fleet;
    await page.goto(`${web.url}/tenant/${a.tenant.id}/invoices`);
    const link = page.locator('.sidebar a[aria-current="page"]');
    expect(await link.isVisible()).toBe(false);
    await page.click('button:has-text("Menu")');
    expect(await link.isVisible()).toBe(true);
    await expect(page.locator("button.nav-toggle").getAttribute("aria-expanded")).resolves.toBe("true");
    await shot(page, "tenant-menu-open-390");
    expect(await overflow(page)).toBe(0);
  });
});

describe("an operator showing the work behind a line", () => {
  it("reads each hour by environment with its share, a total equal to the line, and the raw samples", async () => {
    const page = await signedIn(operator, 1440, 900);
    const { a } = fleet;
    await page.goto(`${web.url}/invoices/${a.tenant.id}/${a.invoice.id}`);
    await page.click('a:has-text("Show the work")');
    const work = page.getByTestId("line-work");
    await work.waitFor();
    const rows = await work.locator("tbody tr").allTextContents();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain(a.environment.name);
    expect(rows[0]).toContain("4.5 core-seconds");
    expect(rows[0]).toContain("0.00125 core-hour");
    await expect(work.locator("tfoot").textContent()).resolves.toContain("Line quantity0.00125 core-hour");
    await page.click('a:has-text("Show the raw samples")');
    // The link loads the samples: wait for the table before counting its rows (count() does not wait).
    const samples = page.getByTestId("line-samples").locator("tbody tr");
    await samples.first().waitFor();
    await expect(samples.count()).resolves.toBe(3);
    await shot(page, "invoice-work-1440");
  });
});

describe("every portal and tenant page", () => {
  it("is photographed at 1440×900 and 390×844, and is no wider than a 390 px screen", async () => {
    const { a } = fleet;
    const plan = await t.db.prisma.subscription.findFirstOrThrow({
      where: { tenantId: a.tenant.id },
      select: { planVersion: { select: { planId: true } } },
    });
    const portal: [string, string][] = [
      ["dashboard", "/"],
      ["tenants", "/tenants"],
      ["tenant", `/tenants/${a.tenant.id}`],
      ["environments", "/environments"],
      ["environment", `/environments/${a.environment.id}`],
      ["hosts", "/hosts"],
      ["host", `/hosts/${a.environment.hostId}`],
      ["policies", "/policies"],
      ["releases", "/releases"],
      ["plans", "/plans"],
      ["plan", `/plans/${plan.planVersion.planId}`],
      ["subscriptions", "/subscriptions"],
      ["usage", "/usage"],
      ["invoices", "/invoices"],
      ["invoice", `/invoices/${a.tenant.id}/${a.invoice.id}`],
      ["invoice-work", `/invoices/${a.tenant.id}/${a.invoice.id}?work=${cpuLine}&samples=1`],
      ["invoice-runs", "/invoice-runs"],
      ["operators", "/operators"],
      ["audit", "/audit"],
      ["api-docs", "/docs/api"],
    ];
    const base = `/tenant/${a.tenant.id}`;
    const tenant: [string, string][] = [
      ["tenant-usage", `${base}/usage`],
      ["tenant-estimate", `${base}/estimate`],
      ["tenant-invoices", `${base}/invoices`],
      ["tenant-invoice", `${base}/invoices/${a.invoice.id}`],
      ["tenant-api-keys", `${base}/api-keys`],
    ];
    const tooWide: string[] = [];
    for (const { name, width, height } of widths) {
      for (const [who, pages] of [
        [operator, portal],
        [member, tenant],
      ] as const) {
        const page = await signedIn(who, width, height);
        for (const [label, path] of pages) {
          const response = await page.goto(`${web.url}${path}`);
          expect(response?.status(), path).toBe(200);
          await shot(page, `page-${label}-${name}`);
          const extra = await overflow(page);
          if (width === 390 && extra > 0) tooWide.push(`${path}: ${extra} px wider than the screen`);
        }
        await page.context().close();
      }
    }
    expect(tooWide).toEqual([]);
  }, 300_000);
});
