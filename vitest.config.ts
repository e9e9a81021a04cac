import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{apps,packages,collector,tooling,e2e}/**/src/**/*.test.ts", "scripts/lib/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/.next/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: more parallel files only queue on the CPU and make timing-sensitive tests flaky.
    maxWorkers: 2,
  },
});
