/**
 * A fixed-window request counter for cheap endpoints that must still not become an oracle
 * (the live password check). Bounded in memory like the throttle store.
 */
import type { Clock } from "../../shared/clock.js";

export interface RateLimit {
  readonly limit: number;
  readonly windowSeconds: number;
}

export interface RateLimiter {
  /** Counts one request; 0 when allowed, otherwise seconds until the window resets. */
  hit(key: string): Promise<number>;
}

export function createMemoryRateLimiter(rule: RateLimit, clock: Clock, maxKeys = 100_000): RateLimiter {
  const windows = new Map<string, { count: number; resetsAt: number }>();
  return {
    async hit(key) {
      const now = clock.now();
      let window = windows.get(key);
      if (!window || window.resetsAt <= now) {
        windows.delete(key);
        window = { count: 0, resetsAt: now + rule.windowSeconds * 1000 };
        windows.set(key, window);
        if (windows.size > maxKeys) {
          const oldest = windows.keys().next().value;
          if (oldest !== undefined) windows.delete(oldest);
        }
      }
      window.count++;
      return window.count > rule.limit ? Math.ceil((window.resetsAt - now) / 1000) : 0;
    },
  };
}
