import { join } from "node:path";
import { type RunningProcess, serviceEnv, startWeb, useTestDatabase } from "@meterplane/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, screenshotDir, shot } from "./portal-browser.ts";

const t = useTestDatabase();
let web: RunningProcess & { url: string };
let browser: Browser;

beforeAll(async () => {
  web = await startWeb(serviceEnv(t));
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

/** A page on /docs/api that records every request it makes and every console error and page error. */
async function openReference(width: number, height: number) {
  const page = await browser.newPage({ viewport: { width, height } });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on("request", (request) => requests.push(request.url()));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  const response = await page.goto(`${web.url}/docs/api`);
  expect(response?.status()).toBe(200);
  // Scalar renders once it has fetched the document: its last group's heading means the reference is up.
  await page.getByRole("heading", { name: "Invoices", exact: true }).waitFor({ timeout: 30_000 });
  return { page, requests, errors };
}

const offOrigin = (requests: string[]) =>
  requests.filter(
    (url) => !url.startsWith(`${web.url}/`) && !url.startsWith("data:") && !url.startsWith("blob:"),
  );
const overflow = (page: Page) =>
  page.evaluate<number>("document.documentElement.scrollWidth - document.documentElement.clientWidth");

describe("/docs/api", () => {
  it("renders every group and operation of the served document, with a curl example, from our origin only", async () => {
    const document = (await (await fetch(`${web.url}/api/v1/openapi.json`)).json()) as {
      tags: { name: string }[];
      paths: Record<string, { get: { summary: string } }>;
    };
    const { page, requests, errors } = await openReference(1440, 900);
    expect(document.tags.map((tag) => tag.name)).toEqual(["Environments", "Usage", "Invoices"]);
    for (const { name } of document.tags)
      expect(await page.getByRole("heading", { name, exact: true }).count(), name).toBeGreaterThan(0);
    // Operations render as they scroll into view; the sidebar lists them all at once.
    for (const [path, { get }] of Object.entries(document.paths))
      expect(await page.getByText(get.summary, { exact: true }).count(), path).toBeGreaterThan(0);
    const curl = page.locator("code", { hasText: `curl '${web.url}/api/v1/environments` }).first();
    await curl.scrollIntoViewIfNeeded();
    await expect(curl.isVisible()).resolves.toBe(true);
    expect(await curl.textContent()).toContain("--header 'Authorization: Bearer");
    await shot(page, "page-api-docs-reference-1440");
    // The full-page capture draws Scalar's sticky sidebar where the capture scrolled it; this is the screen.
    await page.evaluate("window.scrollTo(0, 0)");
    await page.screenshot({ path: join(screenshotDir, "page-api-docs-reference-1440-screen.png") });
    expect(offOrigin(requests)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it("finds an operation by searching", async () => {
    const { page, errors } = await openReference(1440, 900);
    await page
      .getByRole("button", { name: /Search/ })
      .first()
      .click();
    await page.keyboard.type("invoice lines");
    const hit = page.getByRole("option", { name: /List the lines of an invoice/ }).first();
    await hit.waitFor();
    await hit.click();
    await page.waitForURL(/#tag\/invoices\/GET\/api\/v1\/invoices\/\{invoiceId\}\/lines$/);
    await page.getByRole("heading", { name: /List the lines of an invoice/ }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it("fits a phone's width", async () => {
    const { page, requests, errors } = await openReference(390, 844);
    await shot(page, "page-api-docs-reference-390");
    expect(await overflow(page)).toBe(0);
    expect(offOrigin(requests)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it("serves the renderer with the page's nonce and a year's caching", async () => {
    const response = await fetch(`${web.url}/docs/api`);
    const html = await response.text();
    const nonce = response.headers.get("content-security-policy")?.match(/'nonce-([^']+)'/)?.[1];
    const src = html.match(/<script[^>]*src="(\/docs\/api\/reference\.js\?v=[^"]+)"[^>]*>/);
    expect(src?.[0]).toContain(`nonce="${nonce}"`);
    const bundle = await fetch(`${web.url}${src?.[1]}`);
    expect(bundle.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(bundle.headers.get("cache-control")).toContain("immutable");
    const bytes = (await bundle.arrayBuffer()).byteLength;
    console.log(`/docs/api renderer: ${bytes} bytes`);
    expect(bytes).toBeGreaterThan(1_000_000);
  });
});
