/** Exit codes are part of the collector's contract with systemd (see README and the unit file). */
export const exitCodes = {
  ok: 0,
  failure: 1,
  usage: 2,
  credential: 3,
} as const;

/** Bad command-line input: one line on stderr, exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** A condition no retry can fix; the process stops with `exitCode`. */
export class FatalError extends Error {
  override readonly name = "FatalError";
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}
