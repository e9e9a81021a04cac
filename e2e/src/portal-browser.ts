import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "@meterplane/testing";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";

export const screenshotDir = join(repoRoot, "test-artifacts/screenshots");

/** Debian's Chromium, headless, with nothing that phones home (playwright gives it a fresh profile). */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(screenshotDir, { recursive: true });
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export async function logIn(page: Page, baseUrl: string, email: string, password: string) {
  await page.goto(`${baseUrl}/login`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForURL(`${baseUrl}/`), page.click('button[type="submit"]')]);
}

export async function shot(page: Page, name: string) {
  // A streamed page shows its loading skeleton until the content swaps in; photograph the content.
  await page.locator(".skeleton").waitFor({ state: "detached" });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Submits the form with this test id and waits for its confirmation (or fails with the error it shows). */
export async function submit(page: Page, testId: string) {
  const form = page.getByTestId(testId);
  await form.locator('button[type="submit"]').click();
  const outcome = form.locator(".notice, .error").first();
  await outcome.waitFor({ timeout: 15_000 });
  if (await outcome.evaluate((el) => el.classList.contains("error")))
    throw new Error(`form ${testId} failed: ${await outcome.textContent()}`);
  return outcome.textContent();
}

/**
 * Types `text` into the search picker labelled `label` in `scope` and picks `option` by keyboard: ↓ until it
 * is the active match, then Enter. Fails when the server offers no such match.
 */
export async function pick(scope: Locator, label: string | RegExp, text: string, option: string) {
  const input = scope.getByRole("combobox", { name: label });
  await input.fill(text);
  const list = scope.locator(`[id="${await input.getAttribute("aria-controls")}"]`);
  const match = list.getByRole("option", { name: option, exact: true });
  await match.waitFor({ timeout: 10_000 });
  for (let i = 0; i < 20 && (await match.getAttribute("aria-selected")) !== "true"; i++)
    await input.press("ArrowDown");
  await input.press("Enter");
  if ((await input.inputValue()) !== option)
    throw new Error(`picked ${await input.inputValue()}, not ${option}`);
}
