import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { createUser, logIn } from "@meterplane/access";
import { connectDatabase, systemActor } from "@meterplane/db";
import { createScratchDatabase } from "@meterplane/db/migrations";
import { startWeb } from "@meterplane/testing";
import { type GroupQuery, getUsage, resolveUsageRange, widestRangeDays } from "@meterplane/usage";
import { repoRoot } from "../lib/run.ts";
import { ensureWebBuild } from "../lib/web-build.ts";
import { webNodeOptions, webV8Options } from "../lib/web-node-options.ts";
import { firstLoadJsReader } from "./first-load-js.ts";
import { seedPortalBench } from "./portal-seed.ts";

/**
 * Server time of each main portal and tenant page (request → full HTML, charts' data included) with 1,000
 * tenants in a real fleet's shape (14 series an environment, ten environments a host) and a month of hourly
 * rollups, beside /api/health measured the same way in the same run, and each page's first-load JavaScript
 * as the Next build recorded it (raw and gzip). The web process runs with the production V8 options; while
 * the heaviest usage page is asked for the widest range it accepts, its heap is read from its /metrics and
 * its peak RSS from the kernel, beside the heap limit it runs under. The machine's load average is printed
 * with each figure: on a shared machine times are noisy. Builds the web app first when it is missing.
 */
const tenants = 1000;
const days = Number(process.env.BENCH_PORTAL_DAYS ?? 30);
const rounds = 15;
const heapLimitMb = Number(/--max-old-space-size=(\d+)/.exec(webV8Options)?.[1]);
const load = () => loadavg()[0]!.toFixed(1);
await ensureWebBuild();
const firstLoadJs = firstLoadJsReader(`${repoRoot}apps/web/${process.env.NEXT_DIST_DIR ?? ".next"}`);
const serverUrl = process.env.MP_PG_SERVER_URL ?? "postgresql://root@127.0.0.1:5432/postgres";
const scratch = await createScratchDatabase(serverUrl);
const db = connectDatabase(scratch.url, { max: 4 });
let web: Awaited<ReturnType<typeof startWeb>> | undefined;
try {
  const seedStart = performance.now();
  const { token, sample } = await seedPortalBench(db, { tenants, days });
  const rollups = (await db.pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM "UsageHourly"`))
    .rows[0]!.n;
  console.log(
    `seeded ${tenants} tenants, ${rollups} hourly rollups (${days} days) in ${((performance.now() - seedStart) / 1000).toFixed(1)} s; load average ${load()}`,
  );
  const member = { email: "bench-member@meterplane.test", password: "bench-member-password" };
  await createUser({ db, actor: systemActor, ...member, name: "Bench Member", tenantId: sample.tenantId });
  const memberCookie = `mp_session=${(await logIn({ db, ...member })).token}`;
  const metricsToken = randomBytes(18).toString("hex");
  web = await startWeb({
    DATABASE_URL: scratch.url,
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    MP_QUEUE_PREFIX: `{mp-bench-portal-${process.pid}}`,
    NODE_OPTIONS: webNodeOptions(),
    METRICS_TOKEN: metricsToken,
  });
  const mb = (bytes: number) => bytes / 1024 / 1024;
  /** The web process's V8 heap in use, as its /metrics reports it (prom-client's default metrics). */
  const heapUsedMb = async () => {
    const text = await (
      await fetch(`${web!.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })
    ).text();
    return mb(Number(/^nodejs_heap_size_used_bytes (\S+)/m.exec(text)?.[1] ?? Number.NaN));
  };
  const status = () => readFileSync(`/proc/${web!.child.pid}/status`, "utf8");
  /** The most memory the web process has held since its mark was last reset (VmHWM). */
  const peakRssMb = () => mb(Number(/VmHWM:\s+(\d+) kB/.exec(status())?.[1]) * 1024);
  /** Resets VmHWM to the current RSS (Linux's clear_refs 5), so the next peak is one phase's own. */
  const resetPeakRss = () => writeFileSync(`/proc/${web!.child.pid}/clear_refs`, "5");
  const operatorCookie = `mp_session=${token}`;
  const time = async (path: string, cookie: string) => {
    const start = performance.now();
    const response = await fetch(`${web!.url}${path}`, { headers: { cookie }, redirect: "manual" });
    const body = await response.text();
    const ms = performance.now() - start;
    if (response.status !== 200)
      throw new Error(`${path} answered ${response.status}: ${body.slice(0, 200)}`);
    return { ms, body };
  };
  const measure = async (path: string, cookie: string) => {
    let { body: html, ms: warm } = await time(path, cookie);
    // A page already past a second is far over the goal: 3 rounds say so (p95 is then the slowest of 3)
    // without a page of 30 s answers holding the bench for many minutes.
    const slowPage = warm > 1000;
    for (let i = 0; i < (slowPage ? 0 : 2); i++) ({ body: html, ms: warm } = await time(path, cookie));
    const n = slowPage ? 3 : rounds;
    const samples: number[] = [];
    for (let i = 0; i < n; i++) samples.push((await time(path, cookie)).ms);
    samples.sort((a, b) => a - b);
    return {
      p50: samples[Math.floor(n / 2)]!,
      p95: samples[Math.ceil(n * 0.95) - 1]!,
      max: samples.at(-1)!,
      html: html.length,
      load: load(),
      // Only pages load JavaScript; the baseline is an API route.
      js: path.startsWith("/api/") ? null : firstLoadJs(path),
    };
  };
  const { tenantId, environmentId, hostId, invoiceId, planId } = sample;
  const day = (at: number) => new Date(at).toISOString().slice(0, 10);
  const widest = `range=custom&from=${day(Date.now() - (widestRangeDays - 1) * 86_400_000)}&to=${day(Date.now())}`;
  const pages: [string, string][] = [
    ...[
      "/",
      "/tenants",
      "/tenants?sort=createdAt&dir=desc&page=20",
      `/tenants/${tenantId}`,
      "/environments",
      `/environments/${environmentId}`,
      `/environments/${environmentId}?range=30d&by=dimension`,
      "/hosts",
      `/hosts/${hostId}`,
      "/policies",
      "/releases",
      "/plans",
      `/plans/${planId}`,
      "/subscriptions",
      "/usage",
      "/usage?range=30d",
      "/usage?range=30d&by=tenant",
      "/usage?range=30d&by=environment&view=lines",
      "/usage?tenant=tenant-0001",
      `/usage?${widest}&by=environment`,
      "/invoices",
      `/invoices/${tenantId}/${invoiceId}`,
      "/invoice-runs",
      "/operators",
      "/audit",
    ].map((path): [string, string] => [path, operatorCookie]),
    [`/tenant/${tenantId}/usage`, memberCookie],
    [`/tenant/${tenantId}/usage?range=30d&by=environment`, memberCookie],
  ];
  // The reads behind the usage charts as Postgres times them (EXPLAIN ANALYZE of getUsage's own SQL, median
  // of 3), apart from HTTP, rendering and the other agents' load on the web process.
  const explained = {
    ...db,
    pool: {
      query: async (sql: string, params: unknown[]) => {
        const { rows } = await db.pool.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
        return {
          rows: [
            {
              ms: (rows[0] as { "QUERY PLAN": [{ "Execution Time": number }] })["QUERY PLAN"][0][
                "Execution Time"
              ],
            },
          ],
        };
      },
    },
  } as unknown as typeof db;
  console.log(`${"getUsage (every tenant unless named)".padEnd(56)} postgres_ms  load1`);
  for (const [range, by, tenantId] of [
    ["24h", "meter", null],
    ["7d", "meter", null],
    ["7d", "tenant", null],
    ["30d", "meter", null],
    ["30d", "tenant", null],
    ["30d", "environment", null],
    ["30d", "environment", sample.tenantId],
    ["widest", "environment", null],
  ] as const) {
    const query =
      range === "widest"
        ? { from: day(Date.now() - (widestRangeDays - 1) * 86_400_000), to: day(Date.now()) }
        : { range };
    const resolved = resolveUsageRange(query, new Date(), "7d");
    if ("error" in resolved) throw new Error(resolved.error);
    const times: number[] = [];
    // Three runs, or one when it takes over a second (then it is far over the goal anyway).
    for (let i = 0; i < 3 && !(times[0]! > 1000); i++) {
      const rows = (await getUsage({
        db: explained,
        tenantId,
        from: resolved.from,
        to: resolved.to,
        bucket: resolved.bucket,
        by,
        top: 8,
      } satisfies GroupQuery)) as unknown as { ms: number }[];
      times.push(rows[0]!.ms);
    }
    times.sort((a, b) => a - b);
    console.log(
      `${`${range} by ${by} (${resolved.bucket})${tenantId ? ", one tenant" : ""}`.padEnd(56)} ${times[Math.floor(times.length / 2)]!.toFixed(1).padStart(11)}  ${load().padStart(5)}`,
    );
  }
  const baseline = await measure("/api/health", operatorCookie);
  console.log(`${"page".padEnd(56)} p50_ms  p95_ms  max_ms  html_kB  js_gzip_kB  js_raw_kB  load1`);
  const kb = (bytes: number) => (bytes / 1024).toFixed(1);
  const row = (name: string, r: Awaited<ReturnType<typeof measure>>) =>
    console.log(
      `${name.padEnd(56)} ${r.p50.toFixed(1).padStart(6)}  ${r.p95.toFixed(1).padStart(6)}  ${r.max.toFixed(1).padStart(6)}  ${kb(r.html).padStart(7)}  ${(r.js ? kb(r.js.gzipBytes) : "-").padStart(10)}  ${(r.js ? kb(r.js.rawBytes) : "-").padStart(9)}  ${r.load.padStart(5)}`,
    );
  row("/api/health (baseline)", baseline);
  const results: Awaited<ReturnType<typeof measure>>[] = [];
  for (const [page, cookie] of pages) {
    const r = await measure(page, cookie);
    row(page.replace(widest, "range=<widest>"), r);
    results.push(r);
  }
  // The heaviest usage page (every tenant, split by environment) at the widest range it accepts, 10 times,
  // while the heap is read every 50 ms and the peak RSS is the kernel's mark, reset before.
  const heaviest = `/usage?${widest}&by=environment`;
  let heapPeakMb = await heapUsedMb();
  let asking = true;
  const sampling = (async () => {
    while (asking) {
      heapPeakMb = Math.max(heapPeakMb, await heapUsedMb());
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  resetPeakRss();
  const heavyStart = performance.now();
  for (let i = 0; i < 10; i++) await time(heaviest, operatorCookie);
  const heavyMs = (performance.now() - heavyStart) / 10;
  asking = false;
  await sampling;
  const rssPeakMb = peakRssMb();
  const slowest = results.reduce((a, b) => (b.p95 > a.p95 ? b : a));
  const slowestPage = pages[results.indexOf(slowest)]![0].replace(widest, "range=<widest>");
  const max = Math.max(...results.map((r) => r.max));
  const slow = pages.filter((_, i) => results[i]!.p95 >= 300).map(([path]) => path);
  console.log(
    slow.length ? `over the 300 ms goal (p95): ${slow.join(", ")}` : "every page's p95 is under 300 ms",
  );
  const heaviestJs = firstLoadJs(heaviest);
  console.log(
    `widest usage range (${widestRangeDays} days, every tenant by environment) x10, ${heavyMs.toFixed(0)} ms each: heap peak ${heapPeakMb.toFixed(1)} MB (sampled every 50 ms), peak RSS ${rssPeakMb.toFixed(1)} MB; heap limit ${heapLimitMb} MB (${webV8Options}); load average ${load()}`,
  );
  console.log(
    `portal: pages=${pages.length} p95_ms=${slowest.p95.toFixed(1)} slowest=${slowestPage} slowest_js_gzip_kB=${kb(slowest.js!.gzipBytes)} slowest_js_raw_kB=${kb(slowest.js!.rawBytes)} usage_js_gzip_kB=${kb(heaviestJs.gzipBytes)} usage_js_raw_kB=${kb(heaviestJs.rawBytes)} max_ms=${max.toFixed(1)} baseline_ms=${baseline.p95.toFixed(1)} over_300ms=${slow.length} widest_days=${widestRangeDays} heap_peak_mb=${heapPeakMb.toFixed(1)} rss_peak_mb=${rssPeakMb.toFixed(1)} heap_limit_mb=${heapLimitMb} load1=${load()} tenants=${tenants} hourly_rollups=${rollups}`,
  );
} finally {
  await web?.stop();
  await db.close();
  await scratch.drop();
}
