import { useTestDatabase } from "@meterplane/testing";
import { describe, expect, it } from "vitest";
import { searchPlanVersions } from "./search-plan-versions.ts";

const t = useTestDatabase();

describe("searchPlanVersions", () => {
  it("finds versions by plan name or code, plans starting with it first, newest version first", async () => {
    const plan = async (code: string, name: string, versions: number) => {
      const created = await t.db.prisma.plan.create({ data: { code, name } });
      const ids: string[] = [];
      for (let version = 1; version <= versions; version++)
        ids.push(
          (await t.db.prisma.planVersion.create({ data: { planId: created.id, version, currency: "USD" } }))
            .id,
        );
      return ids;
    };
    const [proV1] = await plan("pro", "Pro", 2);
    await plan("team-pro", "Team", 1);
    await plan("starter", "Starter", 1);
    const labels = async (input: { q?: string; exclude?: string; id?: string }) =>
      (await searchPlanVersions({ db: t.db, ...input })).matches.map((m) => m.label);
    expect(await labels({ q: "pro" })).toEqual(["Pro v2 (USD)", "Pro v1 (USD)", "Team v1 (USD)"]);
    expect(await labels({ q: "pro", exclude: proV1 })).toEqual(["Pro v2 (USD)", "Team v1 (USD)"]);
    expect(await labels({ q: "STAR" })).toEqual(["Starter v1 (USD)"]);
    expect(await labels({ id: proV1 })).toEqual(["Pro v1 (USD)"]);
  });
});
