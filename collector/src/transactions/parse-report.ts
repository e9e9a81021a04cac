/**
 * Transaction reports are StatsD counter lines: `transactions:3|c` (or `<prefix>.transactions:3|c`),
 * newline-separated, with optional DogStatsD tags (`|#k:v`) ignored. Other metric names and types are
 * ignored, so an application may point its whole StatsD client here. Money depends on these counts, so a
 * sample rate other than 1 (`|@0.1`, an estimate) and non-integer values are refused, not guessed at.
 */
export function countTransactions(text: string): { count: bigint; refused: number } {
  let count = 0n;
  let refused = 0;
  for (const line of text.split("\n")) {
    const match = /^([\w.-]+):([^|]*)\|c(\|.*)?$/.exec(line.trim());
    if (!match || !/(^|\.)transactions$/.test(match[1] ?? "")) continue;
    const options = (match[3] ?? "").split("|").filter(Boolean);
    const rate = options.find((option) => option.startsWith("@"));
    if (!/^\d{1,15}$/.test(match[2] ?? "") || (rate !== undefined && !/^@1(\.0*)?$/.test(rate))) {
      refused++;
      continue;
    }
    count += BigInt(match[2] ?? 0);
  }
  return { count, refused };
}
