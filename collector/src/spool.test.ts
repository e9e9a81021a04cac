import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { batchSchema } from "@meterplane/wire";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { silentLogger } from "./log.ts";
import { continueSequenceFrom, Spool } from "./spool.ts";
import { sampleOf } from "./testing/factories.ts";

describe("Spool", () => {
  let stateDir: string;
  const open = () => new Spool(stateDir, { maxBytes: 1024 * 1024, log: silentLogger });
  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), "mp-spool-"));
  });
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  it("writes each batch whole, as a valid wire batch, with no temporary left behind", () => {
    const batch = open().append([sampleOf("1.5")]);
    const files = readdirSync(join(stateDir, "spool"));
    expect(files).toEqual(["0000000000000001.json"]);
    expect(
      batchSchema.parse(JSON.parse(readFileSync(join(stateDir, "spool", files[0] ?? ""), "utf8"))),
    ).toEqual(batch);
  });

  it("never reuses a sequence after a restart, even one reserved but never written", () => {
    const first = open();
    expect(first.append([sampleOf("1")]).sequence).toBe(1);
    expect(first.reserveSequence()).toBe(2); // the crash: reserved, batch never written
    const afterRestart = open();
    expect(afterRestart.append([sampleOf("2")]).sequence).toBe(3);
  });

  it("continues after the sequences the server already holds for the host, and never goes back", () => {
    continueSequenceFrom(stateDir, 41);
    expect(open().append([sampleOf("1")]).sequence).toBe(41);
    continueSequenceFrom(stateDir, 5);
    expect(open().append([sampleOf("2")]).sequence).toBe(42);
  });

  it("ignores a torn temporary file from a crash mid-write and lists batches oldest first", () => {
    const spool = open();
    for (const value of ["1", "2", "3"]) spool.append([sampleOf(value)]);
    writeFileSync(join(stateDir, "spool", ".0000000000000004.json.123.tmp"), '{"sequence":4,"sam');
    const reopened = open();
    expect(reopened.entries().map((entry) => entry.sequence)).toEqual([1, 2, 3]);
    expect(readdirSync(join(stateDir, "spool")).some((name) => name.endsWith(".tmp"))).toBe(false);
    const [oldest] = reopened.entries();
    expect(JSON.parse(reopened.read(oldest ?? never())).series[0].values).toEqual(["1"]);
  });

  it("keeps batches beyond its size limit rather than dropping usage", () => {
    const spool = new Spool(stateDir, { maxBytes: 10, log: silentLogger });
    spool.append([sampleOf("1")]);
    spool.append([sampleOf("2")]);
    expect(spool.size().count).toBe(2);
  });
});

function never(): never {
  throw new Error("expected a spool entry");
}
