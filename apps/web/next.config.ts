import type { NextConfig } from "next";

const config: NextConfig = {
  // Workspace packages export TypeScript source; Next compiles them with the app.
  transpilePackages: [
    "@meterplane/core",
    "@meterplane/db",
    "@meterplane/wire",
    "@meterplane/fleet",
    "@meterplane/usage",
    "@meterplane/queue",
    "@meterplane/billing",
    "@meterplane/access",
    "@meterplane/exports",
    "@meterplane/stripe",
    "@meterplane/alerts",
    "@meterplane/anomaly",
  ],
  serverExternalPackages: [
    "pg",
    "bullmq",
    "ioredis",
    "pino",
    // The ingest path outside Next (server.mjs) and Next's /metrics route share one registry.
    "prom-client",
    "@prisma/client",
    "@prisma/adapter-pg",
    "stripe",
  ],
  poweredByHeader: false,
  // Lets several builds coexist (parallel test runs, a dev server beside a test build).
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
};

export default config;
