import { describe, expect, test } from "vitest";
import { closingLine, type VitestReport } from "./closing-line.ts";

const passing = (n: number) => Array.from({ length: n }, () => ({ status: "passed" }));

function aReport(files: VitestReport["testResults"], overrides: Partial<VitestReport> = {}): VitestReport {
  const all = files.flatMap((file) => file.assertionResults);
  return {
    numPassedTests: all.filter((t) => t.status === "passed").length,
    numFailedTests: all.filter((t) => t.status === "failed").length,
    numPendingTests: all.filter((t) => t.status === "skipped" || t.status === "pending").length,
    success: files.every((file) => file.status === "passed"),
    testResults: files,
    ...overrides,
  };
}

describe("the closing line", () => {
  test("counts a file that failed to load as failed", () => {
    const report = aReport([
      { name: "a.test.ts", status: "passed", assertionResults: passing(218) },
      {
        name: "portal.test.ts",
        status: "failed",
        message: "browserType.launch: Failed to launch",
        assertionResults: [],
      },
      { name: "tenant.test.ts", status: "failed", message: "Cannot find module", assertionResults: [] },
    ]);
    expect(closingLine(report, true)).toBe("vitest: 218 passed, 2 failed (2 files failed to run), 0 skipped");
  });

  test("counts a file whose beforeAll failed as failed, and its skipped tests as not run", () => {
    const report = aReport([
      { name: "a.test.ts", status: "passed", assertionResults: [...passing(3), { status: "skipped" }] },
      {
        name: "hooks.test.ts",
        status: "failed",
        message: "hook boom",
        assertionResults: [{ status: "skipped" }, { status: "skipped" }],
      },
    ]);
    expect(closingLine(report, true)).toBe("vitest: 3 passed, 1 failed (1 file failed to run), 1 skipped");
  });

  test("a failing test is counted once, its file not again", () => {
    const report = aReport([
      { name: "d.test.ts", status: "failed", assertionResults: [{ status: "failed" }, ...passing(2)] },
    ]);
    expect(closingLine(report, true)).toBe("vitest: 2 passed, 1 failed, 0 skipped");
  });

  test("never says 0 failed for a run that failed", () => {
    const report = aReport([{ name: "a.test.ts", status: "passed", assertionResults: passing(5) }], {
      success: false,
    });
    expect(closingLine(report, true)).toBe("vitest: 5 passed, 1 failed (errors outside any test), 0 skipped");
    expect(closingLine(undefined, true, "type check")).toBe(
      "vitest: 0 passed, 1 failed (type check failed before any test ran), 0 skipped",
    );
  });

  test("a green run says so", () => {
    const report = aReport([{ name: "a.test.ts", status: "passed", assertionResults: passing(5) }]);
    expect(closingLine(report, false)).toBe("vitest: 5 passed, 0 failed, 0 skipped");
  });
});
