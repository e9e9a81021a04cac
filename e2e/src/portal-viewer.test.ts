import { createUser, logIn as startSession } from "@meterplane/access";
import { systemActor } from "@meterplane/db";
import { aTenant, type RunningProcess, serviceEnv, startWeb, useTestDatabase } from "@meterplane/testing";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, logIn, shot } from "./portal-browser.ts";

const t = useTestDatabase();
let web: RunningProcess & { url: string };
let browser: Browser;
const admin = { email: "admin@portal.test", password: "admin-password-1" };
const viewer = { email: "viewer@portal.test", password: "viewer-password-1" };

async function signedIn(who: {
  email: string;
  password: string;
}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on("dialog", (dialog) => void dialog.accept());
  await logIn(page, web.url, who.email, who.password);
  return { context, page };
}

beforeAll(async () => {
  await createUser({ db: t.db, actor: systemActor, ...admin, name: "Ada Admin", operatorRole: "admin" });
  await createUser({ db: t.db, actor: systemActor, ...viewer, name: "Vic Viewer", operatorRole: "viewer" });
  web = await startWeb(serviceEnv(t, { MP_INSECURE_COOKIES: "1" }));
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

describe("a viewer", () => {
  it("is shown no control that changes anything", async () => {
    const tenant = await aTenant(t.db);
    // A tenant user and a plan version, so the tenant's user rows and the plan's editor would show.
    await createUser({
      db: t.db,
      actor: systemActor,
      email: "member@portal.test",
      name: "Mo Member",
      password: "member-password-1",
      tenantId: tenant.id,
    });
    const plan = await t.db.prisma.plan.create({
      data: {
        code: "basic",
        name: "Basic",
        versions: {
          create: {
            version: 1,
            currency: "USD",
            charges: { create: [{ model: "flat", properties: { amount: "10" } }] },
          },
        },
      },
    });
    const { page } = await signedIn(viewer);
    for (const path of [
      "/tenants",
      `/tenants/${tenant.id}`,
      "/hosts",
      "/environments",
      "/plans",
      `/plans/${plan.id}`,
      "/subscriptions",
      "/releases",
      "/operators",
    ]) {
      await page.goto(`${web.url}${path}`);
      expect(await page.locator("form:has(button[type=submit])").count(), path).toBe(
        await page.locator(".filter-bar, .sidebar form").count(),
      );
    }
    await page.goto(`${web.url}/tenants`);
    await shot(page, "viewer-tenants");
  });

  it("is refused by the server when replaying an admin's server action, and nothing changes", async () => {
    const tenant = await aTenant(t.db);
    // The admin clicks "Suspend"; the request is captured and held back, so it never reaches the server.
    const { page } = await signedIn(admin);
    let captured: { url: string; headers: Record<string, string>; body: Buffer } | undefined;
    await page.route("**/*", async (route) => {
      const request = route.request();
      if (request.method() === "POST" && request.headers()["next-action"]) {
        captured = { url: request.url(), headers: request.headers(), body: request.postDataBuffer()! };
        await route.abort();
      } else await route.continue();
    });
    await page.goto(`${web.url}/tenants/${tenant.id}`);
    await page.click('button:has-text("Suspend")');
    await expect.poll(() => captured).toBeDefined();
    const replay = (cookie: string) =>
      fetch(captured!.url, {
        method: "POST",
        headers: { ...captured!.headers, cookie, origin: web.url, host: new URL(web.url).host },
        body: captured!.body,
      });

    const asViewer = await signedIn(viewer);
    const viewerCookie = (await asViewer.context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const refused = await replay(viewerCookie);
    expect(await refused.text()).toContain("this needs the admin role");
    expect((await t.db.prisma.tenant.findUniqueOrThrow({ where: { id: tenant.id } })).status).toBe("active");
    expect(await t.db.prisma.auditLog.count({ where: { action: "tenant.suspend" } })).toBe(0);

    // The same bytes with the admin's session do suspend: the refusal was the role check, not a bad replay.
    const adminCookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    await replay(adminCookie);
    expect((await t.db.prisma.tenant.findUniqueOrThrow({ where: { id: tenant.id } })).status).toBe(
      "suspended",
    );
  });

  it("cannot call a portal route handler that changes something without the session's CSRF token", async () => {
    const { context } = await signedIn(viewer);
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const forged = await fetch(`${web.url}/logout`, {
      method: "POST",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: "csrf=guessed",
      redirect: "manual",
    });
    expect(forged.status).toBe(403);
    expect(await t.db.prisma.session.count({ where: { user: { email: viewer.email } } })).toBeGreaterThan(0);
  });

  it("searches a picker's tenants, which a tenant's user and a stranger are refused", async () => {
    const tenant = await t.db.prisma.tenant.create({ data: { name: "Picker Pals", slug: "picker-pals" } });
    await createUser({
      db: t.db,
      actor: systemActor,
      email: "pal@portal.test",
      name: "Pat Pal",
      password: "pal-password-1",
      tenantId: tenant.id,
    });
    const search = async (who: { email: string; password: string } | null, path: string) => {
      const cookie = who ? `mp_session=${(await startSession({ db: t.db, ...who })).token}` : "";
      const response = await fetch(`${web.url}${path}`, { headers: { cookie }, redirect: "manual" });
      return { status: response.status, body: (await response.json()) as unknown };
    };
    // Any operator may: the list pages show every tenant's name to a viewer too.
    await expect(search(viewer, "/pickers/tenants?q=PICKER")).resolves.toEqual({
      status: 200,
      body: { matches: [{ id: tenant.id, label: "Picker Pals (picker-pals)" }], more: false },
    });
    // A tenant's user signed in through the same login learns no other tenant's name, nor its own this way.
    await expect(
      search({ email: "pal@portal.test", password: "pal-password-1" }, "/pickers/tenants?q=picker"),
    ).resolves.toEqual({
      status: 403,
      body: { error: { code: "FORBIDDEN", message: "for operators only" } },
    });
    await expect(search(null, "/pickers/tenants?q=picker")).resolves.toMatchObject({ status: 401 });
    await expect(search(viewer, "/pickers/invoices?q=")).resolves.toMatchObject({ status: 404 });
    await expect(search(viewer, "/pickers/hosts?exclude=nonsense")).resolves.toMatchObject({ status: 400 });
  });

  it("is slowed down after ten wrong passwords", async () => {
    const attempt = () =>
      browser.newPage().then(async (page) => {
        await page.goto(`${web.url}/login`);
        await page.fill('input[name="email"]', "nobody@portal.test");
        await page.fill('input[name="password"]', "wrong-password");
        await Promise.all([page.waitForURL(/error=/), page.click('button[type="submit"]')]);
        const result = page.url();
        await page.close();
        return result;
      });
    const outcomes = [];
    for (let i = 0; i < 11; i++) outcomes.push(await attempt());
    expect(outcomes.slice(0, 10).every((u) => u.includes("error=invalid"))).toBe(true);
    expect(outcomes[10]).toContain("error=limited");
  });
});
