import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { batchSchema, type FlatBatch, parseBatch, samplesOfSeries } from "@meterplane/wire";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "./log.ts";
import { Spool } from "./spool.ts";
import { mergeSamples } from "./spool-merge.ts";
import { toScaled } from "./testing/decimal.ts";
import { sampleOf } from "./testing/factories.ts";

const at = (minute: number) => `2026-11-25T10:${String(minute).padStart(2, "0")}:00Z`;

describe("mergeSamples", () => {
  it("sums counters and keeps gauge integrals, one sample per series and hour", () => {
    const merged = mergeSamples([
      sampleOf("1.5", { start: at(0), seconds: 60 }),
      sampleOf("2.25", { start: at(1), seconds: 60 }),
      sampleOf("100", { meter: "memory", start: at(0), seconds: 60 }),
      sampleOf("200", { meter: "memory", start: at(2), seconds: 30 }), // a gap: the env was absent
      sampleOf("7", { start: "2026-11-25T11:00:00Z", seconds: 60 }),
    ]);
    expect(merged).toEqual([
      sampleOf("3.75", { start: at(0), seconds: 120 }),
      sampleOf("133.333333333333", { meter: "memory", start: at(0), seconds: 90 }),
      sampleOf("7", { start: "2026-11-25T11:00:00Z", seconds: 60 }),
    ]);
    // 100 × 60 + 200 × 30 = 12,000 byte-seconds, kept to within 12 decimals of the average × 90 s.
    const memory = merged[1];
    expect(toScaled(memory?.value ?? "", 12) * 90n).toBeLessThanOrEqual(12_000n * 10n ** 12n);
    expect(12_000n * 10n ** 12n - toScaled(memory?.value ?? "", 12) * 90n).toBeLessThan(
      10n ** 12n / 10n ** 9n,
    );
  });
});

describe("Spool over its bound", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("merges older batches instead of dropping them, never the oldest, and the totals stay whole", () => {
    const stateDir = mkdtempSync(join(tmpdir(), "mp-spool-merge-"));
    dirs.push(stateDir);
    const spool = new Spool(stateDir, { maxBytes: 2_000, log: silentLogger });
    for (let minute = 0; minute < 30; minute++)
      spool.append([sampleOf("1", { start: at(minute), seconds: 60 })]);
    const batches = spool.entries().map((e) => batchSchema.parse(JSON.parse(readFileSync(e.path, "utf8"))));
    const samples = batches.flatMap((b) => samplesOfSeries(b.series));
    expect(batches.length).toBeLessThan(30);
    expect(batches[0]?.sequence).toBe(1); // the oldest may be in flight: untouched
    expect(samples.reduce((sum, s) => sum + Number(s.value), 0)).toBe(30); // cpu counted once each
    expect(spool.size().bytes).toBeLessThanOrEqual(2_000);
    expect(new Set(batches.map((b) => b.sequence)).size).toBe(batches.length);
  });

  it("merges the flat batches a 0.1.0 collector left in its spool with new ones, losing nothing", () => {
    const stateDir = mkdtempSync(join(tmpdir(), "mp-spool-merge-"));
    dirs.push(stateDir);
    mkdirSync(join(stateDir, "spool"));
    const flat = (sequence: number): FlatBatch => ({
      sequence,
      collectorVersion: "0.1.0",
      samples: [sampleOf("1", { start: at(sequence - 1), seconds: 60 })],
    });
    for (let sequence = 1; sequence <= 10; sequence++)
      writeFileSync(
        join(stateDir, "spool", `${String(sequence).padStart(16, "0")}.json`),
        JSON.stringify(flat(sequence)),
      );
    const spool = new Spool(stateDir, { maxBytes: 2_000, log: silentLogger });
    for (let minute = 10; minute < 30; minute++)
      spool.append([sampleOf("1", { start: at(minute), seconds: 60 })]);
    const entries = spool.entries();
    const samples = entries.flatMap((e) =>
      samplesOfSeries(parseBatch(JSON.parse(readFileSync(e.path, "utf8"))).series),
    );
    expect(entries.map((e) => e.sequence).filter((s) => s <= 10).length).toBeLessThan(10); // flat ones merged
    expect(JSON.parse(readFileSync(entries[0]?.path ?? "", "utf8"))).toEqual(flat(1)); // the oldest: untouched
    expect(samples.reduce((sum, s) => sum + Number(s.value), 0)).toBe(30);
  });
});
