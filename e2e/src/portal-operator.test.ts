import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createUser } from "@meterplane/access";
import { systemActor } from "@meterplane/db";
import {
  eventually,
  type RunningProcess,
  repoRoot,
  serviceEnv,
  startWeb,
  startWorker,
  useTestDatabase,
} from "@meterplane/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, logIn, pick, screenshotDir, shot, submit } from "./portal-browser.ts";

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
  const env = serviceEnv(t, {
    MP_INSECURE_COOKIES: "1",
    // No scheduled invoice run mid-test: the invoices the test finds are those its own run writes.
    INVOICE_RUN_CRON: "0 1 1 1 *",
  });
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
    await expect(page.getByTestId("freshness").textContent()).resolves.toMatch(
      /Rollup freshness(up to date|within \d+ s)/,
    );
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
    tenantUrl = page.url();
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
    const command = (await page.getByTestId("command").textContent()) ?? "";
    await expect(page.getByRole("button", { name: "Copy" }).isVisible()).resolves.toBe(true);
    await shot(page, "host");
    // The command's enroll step, run with this repository's collector (systemd has no place in a test).
    const enroll = /; (\S+\/meterplane-collector enroll --server (\S+) mpe_\S+);/.exec(command);
    expect(enroll?.[2]).toBe(url);
    const stateDir = mkdtempSync(join(tmpdir(), "portal-enroll-"));
    await promisify(execFile)(
      "sh",
      [
        "-c",
        enroll![1]!.replace(
          "/opt/meterplane-collector/current/bin/meterplane-collector",
          "collector/bin/meterplane-collector",
        ),
      ],
      { cwd: repoRoot, env: { ...process.env, METERPLANE_STATE_DIR: stateDir } },
    );
    credential = (
      JSON.parse(readFileSync(join(stateDir, "credential.json"), "utf8")) as { credential: string }
    ).credential;
    rmSync(stateDir, { recursive: true });

    // A second tenant the search finds too, and one it must not (suspended).
    await t.db.prisma.tenant.create({ data: { name: "Acme Labs", slug: "acme-labs" } });
    await t.db.prisma.tenant.create({ data: { name: "Acme Gone", slug: "acme-gone", status: "suspended" } });
    await page.goto(`${url}/environments`);
    const form = '[data-testid="create-environment"]';
    const create = page.getByTestId("create-environment");
    // Pickers, not typed ids: the server searches as one types; the only host is chosen already.
    await expect(create.getByRole("combobox", { name: "Host" }).inputValue()).resolves.toBe("web-01");
    const tenantPicker = create.getByRole("combobox", { name: "Tenant" });
    await tenantPicker.fill("zzz");
    await create.getByText("No tenant matches “zzz”.").waitFor();
    await shot(page, "picker-empty");
    await tenantPicker.fill("acme");
    const options = create.getByRole("listbox", { name: "Tenant matches" }).getByRole("option");
    await options.filter({ hasText: "Acme Labs (acme-labs)" }).waitFor();
    await expect(options.allTextContents()).resolves.toEqual([
      "Acme Apps (acme-apps)",
      "Acme Labs (acme-labs)",
    ]);
    // The first match is active; ↓ and ↑ move, Enter picks (and does not submit the form).
    await tenantPicker.press("ArrowDown");
    await expect(options.nth(1).getAttribute("aria-selected")).resolves.toBe("true");
    await expect(tenantPicker.getAttribute("aria-activedescendant")).resolves.toBe(
      await options.nth(1).getAttribute("id"),
    );
    await shot(page, "picker-open");
    await tenantPicker.press("ArrowUp");
    await tenantPicker.press("Enter");
    await expect(tenantPicker.inputValue()).resolves.toBe("Acme Apps (acme-apps)");
    await expect(tenantPicker.getAttribute("aria-expanded")).resolves.toBe("false");
    await expect(create.locator(".notice, .error").count()).resolves.toBe(0);
    // A submit the server refuses keeps the choice, with the error at its own field.
    await page.fill(`${form} input[name="name"]`, "shop");
    await page.fill(`${form} input[name="selector"]`, "pid:0");
    await page.click(`${form} button`);
    await expect(
      create.locator('label:has(input[name="selector"]) .field-error').textContent(),
    ).resolves.toContain("a process id is 1 or more");
    await expect(tenantPicker.inputValue()).resolves.toBe("Acme Apps (acme-apps)");
    await shot(page, "picker-kept-after-error");
    await page.fill(`${form} input[name="selector"]`, "pid:1");
    await Promise.all([page.waitForURL(/\/environments\/[0-9a-f-]{36}$/), page.click(`${form} button`)]);
    environmentId = page.url().split("/").at(-1)!;
    await page.goto(`${url}/environments`);
    await shot(page, "environments");
  });

  it("defines a plan with a live price preview and subscribes the tenant", async () => {
    await page.goto(`${url}/plans`);
    const metric = page.getByTestId("create-metric");
    await metric.locator('input[name="code"]').fill("cpu_core_hours");
    await metric.locator('input[name="name"]').fill("CPU");
    await metric.locator('select[name="meter"]').selectOption("cpu");
    await metric.locator('input[name="unit"]').fill("core-hours");
    await metric.locator('input[name="divisor"]').fill("-1");
    // CPU has no channel: both problems show at their fields at once, and what was typed stays.
    await metric.locator('select[name="channel"]').selectOption("network");
    await metric.locator('button:has-text("Add metric")').click();
    await metric.locator(".error").waitFor();
    await expect(metric.locator(".error").textContent()).resolves.toBe(
      "2 fields need fixing: Divisor, Channel",
    );
    await expect(
      metric.locator('label:has(select[name="channel"]) .field-error').textContent(),
    ).resolves.toBe("cpu has no dimensions to filter by");
    await expect(
      metric.locator('label:has(input[name="divisor"]) .field-error').textContent(),
    ).resolves.toContain("enter a positive number");
    await expect(metric.locator('input[name="code"]').inputValue()).resolves.toBe("cpu_core_hours");
    await shot(page, "metric-errors");
    await metric.locator('select[name="channel"]').selectOption("");
    await metric.locator('input[name="divisor"]').fill("3600");
    await metric.locator('button:has-text("Add metric")').click();
    await page.locator(".notice:has-text('cpu_core_hours')").waitFor();
    await page.reload();
    // An edit that applies from a later date: a new version, used by periods that start from then on.
    const edit = page.getByTestId("metrics").locator("tr", { hasText: "cpu_core_hours" });
    await edit.locator("summary").click();
    await edit.locator('input[name="effectiveFrom"]').fill("2099-01-01T00:00");
    await edit.locator('button:has-text("Save as version 2")').click();
    await expect(edit.locator(".notice").textContent()).resolves.toContain(
      "Saved as version 2: periods that start from 2099-01-01 00:00 UTC bill by it",
    );
    await page.reload();
    await expect(page.getByTestId("metrics").textContent()).resolves.toContain(
      "v2 from 2099-01-01 00:00 UTC",
    );
    const plan = '[data-testid="create-plan"]';
    await page.fill(`${plan} input[name="code"]`, "pro");
    await page.fill(`${plan} input[name="name"]`, "Pro");
    // The editor starts with a usage charge on the first metric (0.05 per unit); add a base fee beside it.
    await page.fill(`${plan} [data-testid="charge-0"] input[aria-label="Preview quantity"]`, "1500");
    await page.click(`${plan} button:has-text("Add flat fee")`);
    await page.fill(`${plan} [data-testid="charge-1"] input[aria-label="Name"]`, "Base fee");
    await page.fill(`${plan} [data-testid="charge-1"] input[aria-label="Amount"]`, "49");
    await eventually(
      async () => (await page.getByTestId("preview-total").textContent()) === "124.00",
      "the price preview",
    );
    await expect(
      page.locator(`${plan} [data-testid="charge-0"] [data-testid="charge-amount"]`).textContent(),
    ).resolves.toMatch(/^75 /);
    await Promise.all([
      page.waitForURL(/\/plans\/[0-9a-f-]{36}$/),
      page.click(`${plan} button[type="submit"]`),
    ]);
    planUrl = page.url();
    await page.goto(`${url}/plans`);
    await expect(page.getByTestId("plans").textContent()).resolves.toContain("Pro (pro)");
    await eventually(
      async () => (await page.getByTestId("preview-total").textContent()) !== "—",
      "a preview",
    );
    await shot(page, "plans");

    await page.goto(`${url}/subscriptions`);
    const subscribe = page.getByTestId("create-subscription");
    // The only plan version is chosen already.
    await expect(subscribe.getByRole("combobox", { name: "Plan" }).inputValue()).resolves.toBe(
      "Pro v1 (USD)",
    );
    await page.fill(
      '[data-testid="create-subscription"] input[name="startAt"]',
      lastMonth().toISOString().slice(0, 10),
    );
    // No tenant picked: the server says so at the tenant's field; the plan stays chosen.
    const tenantPicker = subscribe.getByRole("combobox", { name: "Tenant" });
    await subscribe.locator('button[type="submit"]').click();
    await expect(subscribe.locator(".picker.invalid .field-error").textContent()).resolves.toBe(
      "pick an item from the list",
    );
    await expect(tenantPicker.getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(subscribe.locator("p.error").textContent()).resolves.toBe("1 field needs fixing: Tenant");
    await expect(subscribe.getByRole("combobox", { name: "Plan" }).inputValue()).resolves.toBe(
      "Pro v1 (USD)",
    );
    await shot(page, "picker-error");
    await pick(subscribe, "Tenant", "Acme", "Acme Apps (acme-apps)");
    await subscribe.locator('button[type="submit"]').click();
    await subscribe.locator(".notice").waitFor();
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
        series: [
          { environmentId, meter: "cpu", starts: [start], seconds: [60], values: ["42.5"] },
          { environmentId, meter: "memory", starts: [start], seconds: [60], values: ["104857600"] },
        ],
      }),
    });
    expect(response.status).toBe(202);
    await eventually(async () => {
      await page.goto(`${url}/usage?tenant=acme-apps`);
      return (await page.locator('[data-meter="cpu"]:not([data-state="empty"])').count()) > 0;
    }, "usage in the explorer");
    // 42.5 core-seconds, in the core-hours CPU is shown in.
    await expect(page.locator('[data-meter="cpu"] .usage-chart-figure').textContent()).resolves.toBe(
      "total 0.0118 core-hours",
    );
    await shot(page, "usage");
    // An earlier hour arrives late: the environment's charts cover all 24 h, not the latest hour's bucket
    // (CPU in total, memory at its highest hourly level), an hour a step.
    const earlier = new Date(Math.floor(Date.now() / 3600_000) * 3600_000 - 2 * 3600_000).toISOString();
    const late = await fetch(`${url}/api/v1/ingest`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${credential}` },
      body: JSON.stringify({
        sequence: 2,
        collectorVersion: "1.0.0",
        series: [
          { environmentId, meter: "cpu", starts: [earlier], seconds: [60], values: ["7.5"] },
          { environmentId, meter: "memory", starts: [earlier], seconds: [3600], values: ["314572800"] },
        ],
      }),
    });
    expect(late.status).toBe(202);
    const cpuFigure = page.locator('[data-meter="cpu"] .usage-chart-figure');
    await eventually(async () => {
      await page.goto(`${url}/environments/${environmentId}`);
      // 42.5 + 7.5 core-seconds
      return (await cpuFigure.textContent()) === "total 0.0139 core-hours";
    }, "the 24 h CPU total");
    // 300 MiB held through the whole earlier hour: its average in use is 300 MiB, read in MiB (the chart's
    // unit follows its magnitude); the latest hour's 100 MiB for a minute averages far less.
    await expect(page.locator('[data-meter="memory"] .usage-chart-figure').textContent()).resolves.toBe(
      "peak 300 MiB",
    );
    await expect(page.locator('[data-meter="memory"]').getAttribute("data-bucket")).resolves.toBe("hour");
    await shot(page, "environment");
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

  it("edits the plan into a second version with tiers and moves the subscription onto it", async () => {
    await page.goto(planUrl);
    const form = page.getByTestId("new-version");
    const usageCharge = form.getByTestId("charge-0");
    await usageCharge.locator('select[aria-label="Model"]').selectOption("graduated");
    await usageCharge.locator('button:has-text("Add tier")').click();
    // Tier 2 has no bound yet: the preview and the server both refuse it, saying why.
    const amount = usageCharge.getByTestId("charge-amount");
    await eventually(
      async () => ((await amount.textContent()) ?? "").includes("only the last tier may have upTo null"),
      "the preview's complaint",
    );
    await form.locator('button[type="submit"]').click();
    // The refusal is at tier 2's bound, in the form's words; the line under the form names the field.
    await expect(usageCharge.getByTestId("tier").nth(1).locator(".field-error").textContent()).resolves.toBe(
      "Tier 2 up to: only the last tier may have upTo null",
    );
    await expect(form.locator("p.error").textContent()).resolves.toBe(
      "1 field needs fixing: Charge 1 tier 2 up to",
    );
    await usageCharge.locator('input[aria-label="Tier 2 up to"]').fill("1000");
    await usageCharge.getByTestId("tier").nth(2).locator('input[aria-label="Unit price"]').fill("0.25");
    await usageCharge.locator('input[aria-label="Free units"]').fill("100");
    await usageCharge.locator('input[aria-label="Preview quantity"]').fill("1500");
    // A charge added by mistake is removed again before saving.
    await form.locator('button:has-text("Add usage charge")').click();
    await form.getByTestId("charge-2").locator('button:has-text("Remove charge")').click();
    await expect(form.locator("fieldset.charge").count()).resolves.toBe(2);
    // 1400 billable after 100 free: 100 × 1 + 900 × 0.5 + 400 × 0.25 = 650, plus the 49 base fee.
    await eventually(
      async () => (await page.getByTestId("preview-total").textContent()) === "699.00",
      "the price preview of the new version",
    );
    // The refusal stays on the form until the corrected version is saved.
    await form.locator('button[type="submit"]').click();
    await form.locator(".notice").waitFor();
    await page.reload();
    const versions = (await page.getByTestId("versions").textContent()) ?? "";
    expect(versions).toContain("v2");
    expect(versions).toContain("≤100 at 1, ≤1000 at 0.5, then 0.25");
    await expect(page.getByTestId("plan-subscriptions").textContent()).resolves.toContain("v1");

    await page.goto(`${url}/subscriptions`);
    await page.getByTestId("move-subscription").locator("select").selectOption({ label: "Pro v2 (USD)" });
    await submit(page, "move-subscription");
    await page.reload();
    await expect(page.getByTestId("subscriptions").textContent()).resolves.toContain("Pro v2");
    await page.goto(planUrl);
    await expect(page.getByTestId("plan-subscriptions").textContent()).resolves.toContain("v2");
    await eventually(
      async () => (await page.getByTestId("preview-total").textContent()) !== "—",
      "a preview",
    );
    await shot(page, "plan");
  });

  it("estimates this period's revenue as the invoices will be, beside the last period's, and shows failures and Stripe's state", async () => {
    // No draft has been rated: the $49 base fee of the open period counts all the same.
    const revenue = await eventually(async () => {
      await page.goto(url);
      const text = (await page.getByTestId("revenue").textContent()) ?? "";
      return text.includes("$49.00last period") && text;
    }, "the dashboard's revenue estimate (shared for 15 s)");
    // Last month's invoice is the previous period.
    // A period so far is not set against a whole one: no change in percent, and the page says why.
    expect(revenue).toMatch(
      /^Revenue this period \(estimate\)\$49\.00last period, whole: \$49\.00this period/,
    );
    expect(revenue).not.toContain("%");
    expect(revenue).toMatch(
      /this period so far: 1 open period, rated as their invoices at [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{2}:\d{2} UTC; compared when they close/,
    );
    const failures = page.getByTestId("failures");
    await expect(failures.textContent()).resolves.toContain("0 runs · 0 syncs");
    await expect(failures.textContent()).resolves.toContain("Stripe not configured");
    await expect(page.getByTestId("trends").textContent()).resolves.toContain("cpu");
    await shot(page, "dashboard-estimate");
  });

  it("adds a tenant user and removes them again", async () => {
    await page.goto(tenantUrl);
    const add = page.locator('form:has(button:has-text("Add user"))');
    await add.locator('input[name="name"]').fill("Jo Tenant");
    await add.locator('input[name="email"]').fill("jo@acme.test");
    await add.locator('input[name="password"]').fill("jo-password-1");
    await add.locator('button[type="submit"]').click();
    await add.locator(".notice").waitFor();
    await page.reload();
    await expect(page.getByTestId("tenant-users").textContent()).resolves.toContain("jo@acme.test");
    await shot(page, "tenant-with-user");
    // The row, and the form with it, goes once the membership is gone.
    await page.getByTestId("remove-user").locator('button[type="submit"]').click();
    await page.getByTestId("tenant-users").getByText("jo@acme.test").waitFor({ state: "detached" });
    await page.reload();
    await page.getByText("No tenant users yet").waitFor();
    await expect(page.getByText("jo@acme.test").count()).resolves.toBe(0);
    await shot(page, "tenant");
  });

  it("forces a collector upgrade and sees who is behind", async () => {
    await page.goto(`${url}/releases`);
    for (const version of ["2.0.0", "2.1.0"]) {
      await page.fill('[data-testid="publish-release"] input[name="version"]', version);
      await submit(page, "publish-release");
      await page.reload();
    }
    // Not the newest release, so the version submitted is the one chosen, not the form's first option.
    const target = page.locator('[data-testid="force-upgrade"] select[name="version"]');
    await target.selectOption("2.0.0");
    const asked: string[] = [];
    const ask = (dialog: { message(): string }) => void asked.push(dialog.message());
    page.on("dialog", ask);
    await submit(page, "force-upgrade");
    page.off("dialog", ask);
    expect(asked).toEqual([expect.stringMatching(/^Require collector 2\.0\.0 on EVERY host \(\d+\)\?/)]);
    // The form keeps the target it just required (no fallback to the newest release after the action).
    await page.locator('[data-testid="force-upgrade"] .notice').waitFor();
    await expect(target.inputValue()).resolves.toBe("2.0.0");
    await expect(
      page.locator('[data-testid="force-upgrade"] select[name="group"]').inputValue(),
    ).resolves.toBe("");
    await page.reload();
    await expect(page.getByTestId("minimums").textContent()).resolves.toContain("2.0.0");
    await expect(page.getByTestId("behind").textContent()).resolves.toContain("web-01");
    await shot(page, "releases");
    const config = await fetch(`${url}/api/v1/collector/config`, {
      headers: { authorization: `Bearer ${credential}` },
    });
    expect(((await config.json()) as { minimumVersion: string }).minimumVersion).toBe("2.0.0");
  });

  it("moves the environment to another host, asking first, and lists its hosts", async () => {
    await t.db.prisma.host.create({ data: { name: "web-02" } });
    await page.goto(`${url}/environments/${environmentId}`);
    const move = page.getByTestId("move-environment");
    await pick(move, /^Move to host/, "web", "web-02");
    const asked: string[] = [];
    const ask = (dialog: { message(): string }) => void asked.push(dialog.message());
    page.on("dialog", ask);
    const notice = await submit(page, "move-environment");
    page.off("dialog", ask);
    expect(asked).toEqual([expect.stringMatching(/^Move this environment to the chosen host\?/)]);
    expect(notice).toMatch(/^Moves at .+: the new host meters it from then on/);
    await page.reload();
    const rows = page.getByTestId("host-history").locator("tbody tr");
    await expect(rows.allTextContents()).resolves.toEqual([
      expect.stringMatching(/^web-01creation.+not yet$/),
      expect.stringMatching(/^web-02.+now$/),
    ]);
  });

  it("uses the pickers at 1440 px and at 390 px, their matches inside the page", async () => {
    for (const [width, height] of [
      [1440, 900],
      [390, 844],
    ] as const) {
      await page.setViewportSize({ width, height });
      for (const [path, form, label, text] of [
        ["/environments", "create-environment", "Tenant", "acme"],
        ["/subscriptions", "create-subscription", "Tenant", "acme"],
        [`/environments/${environmentId}`, "move-environment", /^Move to host/, "web"],
      ] as const) {
        await page.goto(`${url}${path}`);
        const scope = page.getByTestId(form);
        await scope.getByRole("combobox", { name: label }).fill(text);
        await scope.getByRole("listbox").getByRole("option").first().waitFor();
        await scope.getByRole("listbox").scrollIntoViewIfNeeded();
        for (const box of [await scope.boundingBox(), await scope.getByRole("listbox").boundingBox()])
          expect(box!.x + box!.width, `${path} at ${width} px`).toBeLessThanOrEqual(width);
        // The viewport as one sees it, the open list included (the form's own box would cut it off).
        await page.screenshot({ path: `${screenshotDir}/picker-${form}-${width}.png` });
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("sees a batch the worker set aside, with its reason, on Hosts", async () => {
    // As the worker leaves a batch it gave up on (packages/usage dead-letter.test.ts drives that path).
    await t.db.pool.query(
      `INSERT INTO "SampleBatch" ("hostId", sequence, "sampleCount", "tenantIds", body, "failedAttempts",
                                  "failureReason", "deadLetteredAt")
       SELECT id, 7, 140, '{}', '\\x00', 3, 'numeric field overflow', now() FROM "Host" WHERE name = 'web-01'`,
    );
    await page.goto(`${url}/hosts`);
    const row = page.getByTestId("dead-lettered-batches").locator("tbody tr");
    await expect(row.textContent()).resolves.toMatch(/web-01\s*7\s*140\s*3\s*numeric field overflow/);
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
      "environment.move",
      "plan.versioned",
      "subscription.moved",
      "tenant_member.remove",
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
let tenantUrl = "";
let planUrl = "";
let environmentId = "";
