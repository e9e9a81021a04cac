import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { createUser, logIn } from "@meterplane/access";
import { connectDatabase, systemActor } from "@meterplane/db";
import { createScratchDatabase } from "@meterplane/db/migrations";
import { startWeb } from "@meterplane/testing";
import { widestRangeDays } from "@meterplane/usage";
import { ensureWebBuild } from "../lib/web-build.ts";
import { webNodeOptions } from "../lib/web-node-options.ts";
import { seedPortalBench } from "./portal-seed.ts";

/**
 * Server time of each main portal and tenant page (request → full HTML, charts' data included) with 1,000
 * tenants and a month of hourly rollups, beside /api/health measured the same way in the same run, and
 * each page's first-load JavaScript (the scripts its HTML loads, gzip). The web process runs with the
 * production V8 options; its heap is read from its /metrics while the heaviest usage page is asked for
 * its widest range. Builds the web app first when it is missing.
 */
const tenants = 1000;
const rounds = 15;
const heapLimitMb = 192;
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
  /** The most memory the web process has held (VmHWM): an upper bound of its heap. */
  const peakRssMb = () =>
    mb(Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${web!.child.pid}/status`, "utf8"))?.[1]) * 1024);
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
  const scriptBytes = new Map<string, number>();
  /** Gzip bytes of every script the page's HTML loads: what a first visit downloads before it is interactive. */
  const firstLoadJs = async (html: string) => {
    let total = 0;
    for (const [, src] of html.matchAll(/<script[^>]+src="([^"]+\.js[^"]*)"/g)) {
      if (!src) continue;
      if (!scriptBytes.has(src)) {
        const script = await fetch(`${web!.url}${src}`);
        scriptBytes.set(src, gzipSync(Buffer.from(await script.arrayBuffer())).length);
      }
      total += scriptBytes.get(src)!;
    }
    return total;
  };
  const measure = async (path: string, cookie: string) => {
    let html = "";
    for (let i = 0; i < 3; i++) html = (await time(path, cookie)).body;
    const samples: number[] = [];
    for (let i = 0; i < rounds; i++) samples.push((await time(path, cookie)).ms);
    samples.sort((a, b) => a - b);
    return {
      p50: samples[Math.floor(rounds / 2)]!,
      p95: samples[Math.ceil(rounds * 0.95) - 1]!,
      max: samples.at(-1)!,
      jsKb: (await firstLoadJs(html)) / 1024,
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
  const baseline = await measure("/api/health", operatorCookie);
  console.log(`${"page".padEnd(64)} p50_ms  p95_ms  max_ms  first_load_js_kB`);
  const row = (name: string, r: Awaited<ReturnType<typeof measure>>) =>
    console.log(
      `${name.padEnd(64)} ${r.p50.toFixed(1).padStart(6)}  ${r.p95.toFixed(1).padStart(6)}  ${r.max.toFixed(1).padStart(6)}  ${r.jsKb.toFixed(1).padStart(8)}`,
    );
  row("/api/health (baseline)", baseline);
  const results: Awaited<ReturnType<typeof measure>>[] = [];
  for (const [page, cookie] of pages) {
    const r = await measure(page, cookie);
    row(page.replace(widest, "range=<widest>"), r);
    results.push(r);
  }
  // The heaviest usage page (every tenant, split by environment) at the widest range it accepts, 20 times,
  // while the heap is read every 50 ms.
  let heapPeakMb = await heapUsedMb();
  let asking = true;
  const sampling = (async () => {
    while (asking) {
      heapPeakMb = Math.max(heapPeakMb, await heapUsedMb());
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  for (let i = 0; i < 20; i++) await time(`/usage?${widest}&by=environment`, operatorCookie);
  asking = false;
  await sampling;
  const slowest = results.reduce((a, b) => (b.p95 > a.p95 ? b : a));
  const slowestPage = pages[results.indexOf(slowest)]![0].replace(widest, "range=<widest>");
  const max = Math.max(...results.map((r) => r.max));
  const slow = pages.filter((_, i) => results[i]!.p95 >= 300).map(([path]) => path);
  if (slow.length) console.log(`over the 300 ms goal (p95): ${slow.join(", ")}`);
  console.log(
    `widest usage range (${widestRangeDays} days, every tenant by environment) x20: heap peak ${heapPeakMb.toFixed(1)} MB of ${heapLimitMb} MB (sampled every 50 ms); web process peak RSS over the whole run ${peakRssMb().toFixed(1)} MB`,
  );
  console.log(
    `portal: pages=${pages.length} p95_ms=${slowest.p95.toFixed(1)} (${slowestPage}, first_load_js_kB=${slowest.jsKb.toFixed(1)}) max_ms=${max.toFixed(1)} baseline_ms=${baseline.p95.toFixed(1)} heap_peak_mb=${heapPeakMb.toFixed(1)} tenants=${tenants} hourly_rollups=${rollups}`,
  );
} finally {
  await web?.stop();
  await db.close();
  await scratch.drop();
}
