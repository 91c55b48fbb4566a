/**
 * Where failure counters live. In memory for one node; a Redis store (REDIS_URL) shares them
 * across nodes with the same contract: an atomic increment that refreshes an expiry.
 */
export interface FailureRecord {
  readonly failures: number;
  readonly lastFailureAt: number;
}

export interface ThrottleStore {
  recordFailure(key: string, nowMs: number, ttlSeconds: number): Promise<FailureRecord>;
  read(key: string, nowMs: number): Promise<FailureRecord | undefined>;
  clear(key: string): Promise<void>;
  /** Takes a short-lived lock; false when someone else holds it. */
  tryLock(key: string, ttlMs: number): Promise<boolean>;
  unlock(key: string): Promise<void>;
}

interface MemoryEntry extends FailureRecord {
  readonly expiresAt: number;
}

/**
 * Bounded: past `maxKeys` the oldest key is dropped, so a spray of made-up logins can't exhaust
 * memory. Dropping a key only forgets an attacker's failures, never a real user's password.
 */
export function createMemoryThrottleStore(maxKeys = 100_000): ThrottleStore {
  const entries = new Map<string, MemoryEntry>();
  const locks = new Map<string, number>(); // key → expires at (wall clock: locks are about real time)

  function live(key: string, nowMs: number): MemoryEntry | undefined {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= nowMs) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  return {
    async recordFailure(key, nowMs, ttlSeconds) {
      const previous = live(key, nowMs);
      const next = {
        failures: (previous?.failures ?? 0) + 1,
        lastFailureAt: nowMs,
        expiresAt: nowMs + ttlSeconds * 1000,
      };
      entries.delete(key); // re-insert at the end: Map order is the eviction order
      entries.set(key, next);
      if (entries.size > maxKeys) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
      return next;
    },
    async read(key, nowMs) {
      return live(key, nowMs);
    },
    async clear(key) {
      entries.delete(key);
    },
    async tryLock(key, ttlMs) {
      const now = Date.now();
      const held = locks.get(key);
      if (held !== undefined && held > now) return false;
      locks.set(key, now + ttlMs);
      return true;
    },
    async unlock(key) {
      locks.delete(key);
    },
  };
}
