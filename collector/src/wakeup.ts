import { sleep } from "./http.ts";

/** Lets the sampler nudge the shipper as soon as a batch is spooled instead of waiting out its timer. */
export class Wakeup {
  private waiters: Array<() => void> = [];
  private pending = false;

  wake(): void {
    this.pending = true;
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  /** Resolves on wake(), after `ms`, or when `signal` aborts, whichever comes first. */
  async wait(ms: number, signal: AbortSignal): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return;
    }
    const woken = new Promise<void>((resolve) => this.waiters.push(resolve));
    const local = new AbortController();
    await Promise.race([woken, sleep(ms, AbortSignal.any([signal, local.signal]))]);
    local.abort();
    this.pending = false;
  }
}
