import { join } from "node:path";
import { createUser } from "@meterplane/access";
import { systemActor } from "@meterplane/db";
import {
  aMeteredTenant,
  anEnvironment,
  aUsageHistory,
  type RunningProcess,
  serviceEnv,
  startWeb,
  useTestDatabase,
} from "@meterplane/testing";
import { meterNames, meters } from "@meterplane/wire";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, logIn, screenshotDir, shot } from "./portal-browser.ts";

const t = useTestDatabase();
let web: RunningProcess & { url: string };
let browser: Browser;
let tenantId: string;
let environmentId: string;
const operator = { email: "charts-op@usage.test", password: "charts-password-1" };
const member = { email: "charts-member@usage.test", password: "charts-password-1" };
const viewports = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } } as const;

beforeAll(async () => {
  const { tenant, host, environment } = await aMeteredTenant(t.db);
  tenantId = tenant.id;
  environmentId = environment.id;
  const second = await anEnvironment(t.db, { tenantId, hostId: host.id });
  // 35 days up to the current hour: every preset has usage to draw, in each of two environments.
  const hours = 35 * 24;
  const from = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - (hours - 1) * 3_600_000);
  for (const [metered, scale] of [
    [environment, 1],
    [second, 2],
  ] as const)
    for (const meter of meterNames)
      await aUsageHistory(t.db, {
        tenantId,
        environmentId: metered.id,
        meter,
        from,
        hours,
        value:
          meter === "memory" ? 1.5 * 1024 ** 3 * scale : meter === "cpu" ? 1800 * scale : 1.23456 * scale,
        dimensions: meter === "open_resources" ? { kind: "socket" } : undefined,
        // A daily wave on the gauges; CPU and transactions stay flat, so their hovers read known values.
        swing: meters[meter].kind === "gauge" ? 0.4 : 0,
      });
  await createUser({ db: t.db, actor: systemActor, ...operator, name: "Chart Op", operatorRole: "viewer" });
  await createUser({ db: t.db, actor: systemActor, ...member, name: "Chart Member", tenantId });
  web = await startWeb(serviceEnv(t, { MP_INSECURE_COOKIES: "1" }));
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

async function signedIn(who: typeof operator, viewport: { width: number; height: number }, home = "/") {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  if (home === "/") await logIn(page, web.url, who.email, who.password);
  else {
    await page.goto(`${web.url}/login`);
    await page.fill('input[name="email"]', who.email);
    await page.fill('input[name="password"]', who.password);
    await Promise.all([
      page.waitForURL((url) => url.pathname !== "/login"),
      page.click('button[type="submit"]'),
    ]);
  }
  return page;
}

/**
 * Whether the page's content (charts, presets, filters) overflows the width the layout gives it. The page as
 * a whole fits 390 px once the layout's navigation collapses (issue 18, the navigation's part).
 */
const overflows = (page: Page) =>
  page.locator("main").evaluate((main) => main.scrollWidth > main.clientWidth);

async function chartsDrawn(page: Page) {
  await page
    .locator('[data-testid="usage-chart"][data-state="loading"]')
    .first()
    .waitFor({ state: "detached" });
}

describe("usage charts", () => {
  it("draw every meter with a time axis, a value axis in its unit, and a hover that gives the bucket and a rounded value", async () => {
    const page = await signedIn(operator, viewports.desktop);
    await page.goto(`${web.url}/usage?range=24h`);
    await chartsDrawn(page);
    const charts = page.getByTestId("usage-chart");
    expect(await charts.count()).toBe(8);
    const cpu = page.locator('[data-testid="usage-chart"][data-meter="cpu"]');
    await expect(cpu.getByTestId("axis-unit").textContent()).resolves.toBe("core-hours per hour");
    await expect(cpu.getByTestId("axis-time").textContent()).resolves.toContain("time (UTC)");
    await expect(
      page.locator('[data-meter="memory"] [data-testid="axis-unit"]').textContent(),
    ).resolves.toMatch(/^\S*B in use, average over each hour$/);
    // 1.23456 + 2.46912 bytes an hour: read in bytes, not as 3.7E-9 GB.
    await expect(
      page.locator('[data-meter="data_throughput"] [data-testid="axis-unit"]').textContent(),
    ).resolves.toBe("B per hour");
    // uPlot draws its axes' ticks on the canvas: one x and one y axis element per chart.
    expect(await cpu.locator(".u-axis").count()).toBe(2);

    const plot = page.locator('[data-meter="transactions"] .u-over');
    await plot.scrollIntoViewIfNeeded();
    const box = (await plot.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const tooltip = page.locator('[data-meter="transactions"] [data-testid="chart-tooltip"]');
    await tooltip.waitFor({ state: "visible" });
    const text = (await tooltip.textContent()) ?? "";
    // One hour of two environments at 1.23456 and 2.46912 transactions: 3.70368, shown as 3.7.
    expect(text).toMatch(/\d{2}:00–\d{2}:00 UTC/);
    expect(text).toContain("3.7 transactions");
    expect(text).not.toContain("3.703");
    // The hovered chart alone: a full-page screenshot scrolls, and the hover would leave with the mouse.
    await page
      .locator('[data-meter="transactions"]')
      .screenshot({ path: join(screenshotDir, "usage-chart-hover.png") });
  });

  it("change the bucket with the range preset", async () => {
    const page = await signedIn(operator, viewports.desktop);
    const bucketAfter = async (preset: string) => {
      await page.goto(`${web.url}/usage?meter=cpu`);
      await Promise.all([
        page.waitForURL(new RegExp(`range=${preset}`)),
        page.click(`[data-preset="${preset}"]`),
      ]);
      await chartsDrawn(page);
      return page.locator('[data-meter="cpu"]').getAttribute("data-bucket");
    };
    expect(await bucketAfter("24h")).toBe("hour");
    expect(await bucketAfter("7d")).toBe("hour");
    expect(await bucketAfter("30d")).toBe("6 hours");
    await page.goto(`${web.url}/usage?meter=cpu&range=custom&from=2025-01-01&to=2026-12-01`);
    await expect(page.locator('[data-meter="cpu"]').getAttribute("data-bucket")).resolves.toBe("week");
  });

  it("split by environment, stacked or as lines, and show each environment's rounded value on hover", async () => {
    const page = await signedIn(operator, viewports.desktop);
    for (const view of ["stacked", "lines"]) {
      await page.goto(`${web.url}/usage?range=7d&meter=cpu&by=environment&view=${view}`);
      await chartsDrawn(page);
      const chart = page.locator('[data-meter="cpu"]');
      expect(await chart.locator(".usage-chart-legend li").count()).toBe(2);
      const box = (await chart.locator(".u-over").boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
      const text = (await chart.getByTestId("chart-tooltip").textContent()) ?? "";
      // 1,800 and 3,600 core-seconds an hour: 0.5 and 1 core-hours.
      expect(text).toContain(": 0.5 core-hours");
      expect(text).toContain(": 1 core-hours");
    }
  });

  it("are on the environment and tenant usage pages, and fit the content's width at 390 px", async () => {
    for (const [name, viewport] of Object.entries(viewports)) {
      const operatorPage = await signedIn(operator, viewport);
      for (const [path, file] of [
        ["/usage?range=7d", "usage"],
        [`/environments/${environmentId}`, "environment"],
        [`/usage?range=30d&by=environment`, "usage-by-environment"],
        ["/usage?range=custom&from=2001-01-01&to=2001-01-07", "usage-empty"],
      ]) {
        await operatorPage.goto(`${web.url}${path}`);
        await chartsDrawn(operatorPage);
        expect(await operatorPage.getByTestId("usage-chart").count(), path).toBeGreaterThan(0);
        await shot(operatorPage, `${file}-${name}`);
        expect(await overflows(operatorPage), path).toBe(false);
      }
      const tenantPage = await signedIn(member, viewport, `/tenant/${tenantId}`);
      await tenantPage.goto(`${web.url}/tenant/${tenantId}/usage?range=30d&by=environment`);
      await chartsDrawn(tenantPage);
      expect(await tenantPage.getByTestId("usage-chart").count()).toBe(8);
      await shot(tenantPage, `tenant-usage-${name}`);
      expect(await overflows(tenantPage)).toBe(false);
    }
  }, 300_000);
});
