import { describe, expect, test } from "vitest";
import { findPrismaWrites } from "../check-layers.ts";

describe("pages write through packages", () => {
  test("finds a page writing through the Prisma client", () => {
    const page = `
      export default async function Page() {
        const { prisma } = services().db;
        const tenants = await prisma.tenant.findMany();
        await prisma.tenant.update({ where: { id }, data: { name } });
        await services().db.prisma.$transaction([]);
        return tenants;
      }`;
    expect(findPrismaWrites("page.tsx", page)).toEqual([
      "page.tsx:5: prisma.tenant.update(…)",
      "page.tsx:6: services().db.prisma.$transaction(…)",
    ]);
  });

  test("reads and a package's use case pass", () => {
    const page = `
      const rows = await prisma.invoice.findMany({ where });
      await updateTenant({ db: services().db, actor, id, name });
      const map = new Map(); map.delete(key);`;
    expect(findPrismaWrites("page.tsx", page)).toEqual([]);
  });
});
