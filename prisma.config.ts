import { defineConfig } from "prisma/config";

// The CLI reads DATABASE_URL only for commands that touch a database (`migrate deploy`, `migrate status`),
// which need Prisma's native engine and so run only where it can be downloaded. `generate` needs none.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/meterplane" },
});
