/**
 * Throttling state shared by every app node through Redis (REDIS_URL). Each change is one Lua
 * script, so increments are atomic across nodes. Redis is never needed for correctness: when it
 * can't be reached, throttled actions fail closed with `503 overloaded` rather than running
 * unlimited.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { DomainError } from "../../shared/errors.js";
import type { Clock } from "../../shared/clock.js";
import type { RateLimit, RateLimiter } from "./rate-limiter.js";
import type { FailureRecord, ThrottleStore } from "./throttle-store.js";

const RECORD_FAILURE = `
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
redis.call('HSET', KEYS[1], 'last', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return failures`;

/** Compare-and-delete: only the holder's token releases the lock. */
const UNLOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}`;

export function connectRedis(url: string): Redis {
  return new Redis(url, {
    // Fail fast instead of queueing commands while disconnected: a throttle that waits is an outage.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    lazyConnect: false,
  });
}

class ThrottleUnavailableError extends DomainError {
  constructor(readonly reason: unknown) {
    super("overloaded", "Sign-in protection is temporarily unavailable. Please try again in a moment.", undefined, 5);
  }
}

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new ThrottleUnavailableError(error);
  }
}

export function createRedisThrottleStore(redis: Redis, prefix = "staffgate:throttle:"): ThrottleStore {
  return {
    recordFailure: (key, nowMs, ttlSeconds) =>
      guarded(async () => {
        const failures = (await redis.eval(
          RECORD_FAILURE,
          1,
          prefix + key,
          String(nowMs),
          String(ttlSeconds * 1000),
        )) as number;
        return { failures: Number(failures), lastFailureAt: nowMs };
      }),
    read: (key) =>
      guarded(async (): Promise<FailureRecord | undefined> => {
        const [failures, last] = await redis.hmget(prefix + key, "failures", "last");
        return failures ? { failures: Number(failures), lastFailureAt: Number(last) } : undefined;
      }),
    clear: (key) =>
      guarded(async () => {
        await redis.del(prefix + key);
      }),
    tryLock: (key, ttlMs) =>
      guarded(async () => {
        const token = randomBytes(16).toString("base64url");
        return (await redis.set(prefix + key, token, "PX", ttlMs, "NX")) === "OK" ? token : undefined;
      }),
    unlock: (key, token) =>
      guarded(async () => {
        await redis.eval(UNLOCK, 1, prefix + key, token);
      }),
  };
}

export function createRedisRateLimiter(
  redis: Redis,
  rule: RateLimit,
  _clock: Clock,
  prefix = "staffgate:rate:",
): RateLimiter {
  return {
    hit: (key) =>
      guarded(async () => {
        const [count, ttlMs] = (await redis.eval(HIT, 1, prefix + key, String(rule.windowSeconds * 1000))) as [
          number,
          number,
        ];
        return count > rule.limit ? Math.max(1, Math.ceil(ttlMs / 1000)) : 0;
      }),
  };
}
