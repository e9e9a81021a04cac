import { connectDatabase } from "@meterplane/db";
import { createScratchDatabase } from "@meterplane/db/migrations";
import { startWeb } from "@meterplane/testing";
import { ensureWebBuild } from "../lib/web-build.ts";
import { seedPortalBench } from "./portal-seed.ts";

/**
 * Server time of each main portal page (request → full HTML) with 1,000 tenants and a month of hourly
 * rollups, beside /api/health measured the same way in the same run. Needs a built web app
 * (NEXT_DIST_DIR names it; default .next).
 */
const tenants = 1000;
const rounds = 15;
await ensureWebBuild();
const serverUrl = process.env.MP_PG_SERVER_URL ?? "postgresql://root@127.0.0.1:5432/postgres";
const scratch = await createScratchDatabase(serverUrl);
const db = connectDatabase(scratch.url, { max: 4 });
let web: Awaited<ReturnType<typeof startWeb>> | undefined;
try {
  const seedStart = performance.now();
  const { token, sample } = await seedPortalBench(db, { tenants, days: 30 });
  const rollups = (await db.pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM "UsageHourly"`))
    .rows[0]!.n;
  console.log(
    `seeded ${tenants} tenants, ${rollups} hourly rollups in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
  );
  web = await startWeb({
    DATABASE_URL: scratch.url,
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    MP_QUEUE_PREFIX: `{mp-bench-portal-${process.pid}}`,
  });
  const cookie = `mp_session=${token}`;
  const time = async (path: string) => {
    const start = performance.now();
    const response = await fetch(`${web!.url}${path}`, { headers: { cookie }, redirect: "manual" });
    const body = await response.text();
    const ms = performance.now() - start;
    if (response.status !== 200)
      throw new Error(`${path} answered ${response.status}: ${body.slice(0, 200)}`);
    return ms;
  };
  const measure = async (path: string) => {
    for (let i = 0; i < 3; i++) await time(path);
    const samples: number[] = [];
    for (let i = 0; i < rounds; i++) samples.push(await time(path));
    samples.sort((a, b) => a - b);
    return {
      p50: samples[Math.floor(rounds / 2)]!,
      p95: samples[Math.ceil(rounds * 0.95) - 1]!,
      max: samples.at(-1)!,
    };
  };
  const { tenantId, environmentId, hostId, invoiceId, planId } = sample;
  const pages = [
    "/",
    "/tenants",
    "/tenants?sort=createdAt&dir=desc&page=20",
    `/tenants/${tenantId}`,
    "/environments",
    `/environments/${environmentId}`,
    "/hosts",
    `/hosts/${hostId}`,
    "/policies",
    "/releases",
    "/plans",
    `/plans/${planId}`,
    "/subscriptions",
    "/usage",
    "/usage?tenant=tenant-0001",
    "/invoices",
    `/invoices/${tenantId}/${invoiceId}`,
    "/invoice-runs",
    "/operators",
    "/audit",
  ];
  const baseline = await measure("/api/health");
  console.log(`${"page".padEnd(60)} p50_ms  p95_ms  max_ms`);
  const row = (name: string, r: { p50: number; p95: number; max: number }) =>
    console.log(
      `${name.padEnd(60)} ${r.p50.toFixed(1).padStart(6)}  ${r.p95.toFixed(1).padStart(6)}  ${r.max.toFixed(1).padStart(6)}`,
    );
  row("/api/health (baseline)", baseline);
  const results: Awaited<ReturnType<typeof measure>>[] = [];
  for (const page of pages) {
    const r = await measure(page);
    row(page, r);
    results.push(r);
  }
  const p95 = Math.max(...results.map((r) => r.p95));
  const max = Math.max(...results.map((r) => r.max));
  const slow = pages.filter((_, i) => results[i]!.p95 >= 300);
  if (slow.length) console.log(`over the 300 ms goal (p95): ${slow.join(", ")}`);
  console.log(
    `portal: pages=${pages.length} p95_ms=${p95.toFixed(1)} max_ms=${max.toFixed(1)} baseline_ms=${baseline.p95.toFixed(1)} tenants=${tenants} hourly_rollups=${rollups}`,
  );
} finally {
  await web?.stop();
  await db.close();
  await scratch.drop();
}
