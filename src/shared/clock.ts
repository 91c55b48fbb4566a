/** Time is a dependency so that tests freeze it instead of sleeping. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock for tests: starts at `startMs` and moves only when told. */
export class ManualClock implements Clock {
  constructor(private currentMs = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.currentMs;
  }
  advanceSeconds(seconds: number): void {
    this.currentMs += seconds * 1000;
  }
  set(ms: number): void {
    this.currentMs = ms;
  }
}

/**
 * The machine's clock corrected to a reference clock (the database's), so that every node agrees
 * on when a link, a session or a delay ends even if one machine's clock is minutes off. `sync()`
 * measures the offset (halfway through the round trip); `now()` stays a plain addition.
 */
export class SyncedClock implements Clock {
  private offsetMs = 0;

  constructor(
    private readonly local: Clock,
    private readonly referenceNow: () => Promise<number>,
  ) {}

  now(): number {
    return this.local.now() + this.offsetMs;
  }

  /** Milliseconds the local clock must be moved to agree with the reference. */
  get offset(): number {
    return this.offsetMs;
  }

  async sync(): Promise<number> {
    const before = this.local.now();
    const reference = await this.referenceNow();
    const after = this.local.now();
    this.offsetMs = Math.round(reference - (before + after) / 2);
    return this.offsetMs;
  }
}
