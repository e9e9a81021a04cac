/**
 * The last line `npm test` prints, which CI reads as the run's verdict. A test file that failed to load,
 * or whose hooks failed, ran none of its tests: Vitest counts its tests as skipped, not failed, so it is
 * counted here as failed. A run that failed must never read `0 failed`.
 */
export interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests?: number;
  success: boolean;
  testResults: Array<{
    name: string;
    status: string;
    message?: string;
    assertionResults: Array<{ status: string }>;
  }>;
}

export function closingLine(
  report: VitestReport | undefined,
  runFailed: boolean,
  failedStep?: string,
): string {
  if (!report) {
    return `vitest: 0 passed, 1 failed (${failedStep ?? "the run"} failed before any test ran), 0 skipped`;
  }
  const filesFailedToRun = report.testResults.filter(
    (file) => file.status === "failed" && !file.assertionResults.some((test) => test.status === "failed"),
  );
  const notRun = filesFailedToRun.reduce(
    (sum, file) => sum + file.assertionResults.filter((test) => test.status !== "passed").length,
    0,
  );
  let failed = report.numFailedTests + filesFailedToRun.length;
  const notes: string[] = [];
  if (filesFailedToRun.length) {
    notes.push(`${filesFailedToRun.length} file${filesFailedToRun.length === 1 ? "" : "s"} failed to run`);
  }
  if (failed === 0 && (runFailed || !report.success)) {
    failed = 1;
    notes.push(failedStep ? `${failedStep} failed` : "errors outside any test");
  }
  const skipped = report.numPendingTests + (report.numTodoTests ?? 0) - notRun;
  const why = notes.length ? ` (${notes.join("; ")})` : "";
  return `vitest: ${report.numPassedTests} passed, ${failed} failed${why}, ${skipped} skipped`;
}
