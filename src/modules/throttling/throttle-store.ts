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
  /** Takes a short-lived lock; returns the holder's token, or undefined when someone else holds it. */
  tryLock(key: string, ttlMs: number): Promise<string | undefined>;
  /** Releases the lock only while `token` still holds it (never a lock that expired and was retaken). */
  unlock(key: string, token: string): Promise<void>;
}

interface MemoryEntry extends FailureRecord {
  readonly expiresAt: number;
}

/**
 * Counters are kept in pools by the kind of key (`staff:`, `login:`, `ip:`, `browser:`, …), each
 * bounded: past `maxKeysPerPool` a pool drops its oldest key, so a spray of made-up logins can't
 * exhaust memory — and, the pools being apart, it only ever evicts other made-up logins, never a
 * real person's counter (real people are as many as the staff, not as many as an attacker likes).
 */
export function createMemoryThrottleStore(maxKeysPerPool = 100_000): ThrottleStore {
  const pools = new Map<string, Map<string, MemoryEntry>>();
  // Wall clock: locks are about real time.
  const locks = new Map<string, { readonly token: string; readonly expiresAt: number }>();
  let lastToken = 0;

  function poolOf(key: string): Map<string, MemoryEntry> {
    const kind = key.slice(0, Math.max(0, key.indexOf(":")));
    let pool = pools.get(kind);
    if (!pool) {
      pool = new Map();
      pools.set(kind, pool);
    }
    return pool;
  }

  function live(key: string, nowMs: number): MemoryEntry | undefined {
    const pool = poolOf(key);
    const entry = pool.get(key);
    if (entry && entry.expiresAt <= nowMs) {
      pool.delete(key);
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
      const pool = poolOf(key);
      pool.delete(key); // re-insert at the end: Map order is the eviction order
      pool.set(key, next);
      if (pool.size > maxKeysPerPool) {
        const oldest = pool.keys().next().value;
        if (oldest !== undefined) pool.delete(oldest);
      }
      return next;
    },
    async read(key, nowMs) {
      return live(key, nowMs);
    },
    async clear(key) {
      poolOf(key).delete(key);
    },
    async tryLock(key, ttlMs) {
      const now = Date.now();
      const held = locks.get(key);
      if (held !== undefined && held.expiresAt > now) return undefined;
      const token = String(++lastToken);
      locks.set(key, { token, expiresAt: now + ttlMs });
      return token;
    },
    async unlock(key, token) {
      if (locks.get(key)?.token === token) locks.delete(key);
    },
  };
}
