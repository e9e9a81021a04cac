export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Runs steps of a long task so that they take at most `share` of the time: after a step of t ms it rests
 * t × (1/share − 1). Resting after every step, not after the whole task, keeps a task of minutes (the first
 * scan of a fleet's million series) from holding the worker and Postgres for all those minutes. A share given
 * as a function is read after each step, so a task can give way while something more urgent is behind.
 */
export function dutyCycle(
  share: number | (() => number),
  clock: Clock = realClock,
): <T>(step: () => Promise<T>) => Promise<T> {
  const shareNow = typeof share === "number" ? () => share : share;
  checkShare(shareNow());
  return async (step) => {
    const began = clock.now();
    const result = await step();
    const current = checkShare(shareNow());
    if (current < 1) await clock.sleep((clock.now() - began) * (1 / current - 1));
    return result;
  };
}

function checkShare(share: number): number {
  if (!(share > 0 && share <= 1)) throw new RangeError(`a duty cycle's share is in (0, 1], not ${share}`);
  return share;
}
