/**
 * Bounds how much expensive work runs at once. Up to `maxInFlight` tasks run; up to
 * `maxQueued` wait; anything beyond is refused at once, so that a flood costs the server
 * nothing but a quick refusal instead of an ever-growing queue (SECURITY.md, load shedding).
 */
export class LimiterFullError extends Error {
  constructor() {
    super("concurrency limit reached");
    this.name = "LimiterFullError";
  }
}

export class ConcurrencyLimiter {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly maxInFlight: number,
    readonly maxQueued: number,
  ) {}

  /** True when a new task would be refused right now. */
  get full(): boolean {
    return this.inFlight >= this.maxInFlight && this.waiting.length >= this.maxQueued;
  }

  get stats(): { inFlight: number; queued: number } {
    return { inFlight: this.inFlight, queued: this.waiting.length };
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.inFlight >= this.maxInFlight) {
      if (this.waiting.length >= this.maxQueued) throw new LimiterFullError();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.inFlight++;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // Hand the slot straight to the next waiter, so inFlight never overshoots.
      if (next) next();
      else this.inFlight--;
    }
  }
}
