import { useTestDatabase } from "@meterplane/testing";
import { describe, expect, it } from "vitest";
import { searchHosts, searchTenants } from "./search-pickers.ts";

const t = useTestDatabase();

const labels = (result: { matches: { label: string }[] }) => result.matches.map((m) => m.label);

describe("searchTenants", () => {
  it("finds active tenants by name or slug, any case, those starting with it first, at most 20", async () => {
    const tenant = (name: string, slug: string, status: "active" | "suspended" = "active") =>
      t.db.prisma.tenant.create({ data: { name, slug, status } });
    await tenant("Zed Acme", "zed-acme");
    await tenant("Acme Apps", "acme-apps");
    await tenant("Bluefin", "bluefin-acme");
    const gone = await tenant("Acme Old", "acme-old", "suspended");
    await tenant("50% Off_Shop", "fifty");
    for (let i = 0; i < 25; i++) await tenant(`Shop ${String(i).padStart(2, "0")}`, `shop-${i}`);

    expect(labels(await searchTenants({ db: t.db, q: "ACME" }))).toEqual([
      "Acme Apps (acme-apps)",
      "Bluefin (bluefin-acme)",
      "Zed Acme (zed-acme)",
    ]);
    // By slug alone, and LIKE's wildcards match only themselves.
    expect(labels(await searchTenants({ db: t.db, q: "fifty" }))).toEqual(["50% Off_Shop (fifty)"]);
    expect(labels(await searchTenants({ db: t.db, q: "%" }))).toEqual(["50% Off_Shop (fifty)"]);
    // "_" would match the space of "Shop 00" as a wildcard.
    expect(labels(await searchTenants({ db: t.db, q: "p_0" }))).toEqual([]);
    const shops = await searchTenants({ db: t.db, q: "shop" });
    expect(shops.matches).toHaveLength(20);
    expect(shops.more).toBe(true);
    expect(shops.matches[0]!.label).toBe("Shop 00 (shop-0)");
    expect((await searchTenants({ db: t.db, q: "shop 2" })).more).toBe(false);
    // A form holding a tenant names it again, whatever its status.
    expect(labels(await searchTenants({ db: t.db, id: gone.id }))).toEqual(["Acme Old (acme-old)"]);
  });
});

describe("searchHosts", () => {
  it("finds live hosts by name, leaving out the one excluded", async () => {
    const host = (name: string, removed = false) =>
      t.db.prisma.host.create({ data: { name, removedAt: removed ? new Date() : null } });
    const web1 = await host("web-01");
    await host("web-02");
    await host("db-web");
    await host("web-03", true);
    expect(labels(await searchHosts({ db: t.db, q: "web" }))).toEqual(["web-01", "web-02", "db-web"]);
    expect(labels(await searchHosts({ db: t.db, q: "web", exclude: web1.id }))).toEqual(["web-02", "db-web"]);
    expect(labels(await searchHosts({ db: t.db }))).toEqual(["db-web", "web-01", "web-02"]);
    expect(labels(await searchHosts({ db: t.db, q: "nothing" }))).toEqual([]);
  });
});
