import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { batchOfFlat, type FlatBatch } from "@meterplane/wire";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { silentLogger } from "./log.ts";
import { emptyState, loadState, saveState } from "./state.ts";
import { sampleOf } from "./testing/factories.ts";

describe("loadState", () => {
  let stateDir: string;
  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), "mp-state-"));
  });
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  it("reads back the pending batches it saved", () => {
    const state = emptyState();
    state.pending = [batchOfFlat({ sequence: 7, collectorVersion: "0.2.0", samples: [sampleOf("1.5")] })];
    saveState(stateDir, state);
    expect(loadState(stateDir, silentLogger).pending).toEqual(state.pending);
  });

  it("keeps the flat pending batches a 0.1.0 collector committed, in the series form", () => {
    const flat: FlatBatch = {
      sequence: 3,
      collectorVersion: "0.1.0",
      samples: [
        sampleOf("1"),
        sampleOf("2", { meter: "memory" }),
        sampleOf("3", { start: "2026-11-25T10:01:00Z" }),
      ],
    };
    writeFileSync(
      join(stateDir, "state.json"),
      JSON.stringify({ counters: {}, totals: {}, roots: {}, pending: [flat] }),
    );
    expect(loadState(stateDir, silentLogger).pending).toEqual([
      {
        sequence: 3,
        collectorVersion: "0.1.0",
        series: [
          {
            environmentId: flat.samples[0]?.environmentId,
            meter: "cpu",
            starts: ["2026-11-25T10:00:00Z", "2026-11-25T10:01:00Z"],
            seconds: [60, 60],
            values: ["1", "3"],
          },
          {
            environmentId: flat.samples[0]?.environmentId,
            meter: "memory",
            starts: ["2026-11-25T10:00:00Z"],
            seconds: [60],
            values: ["2"],
          },
        ],
      },
    ]);
  });
});
