export {
  PER_LOGIN_RULE,
  createLoginThrottle,
  loginSubject,
  staffSubject,
  type LoginAttemptKeys,
  type LoginThrottle,
} from "./login-throttle.js";
export { createMemoryThrottleStore, type ThrottleStore } from "./throttle-store.js";
export { createMemoryRateLimiter, type RateLimit, type RateLimiter } from "./rate-limiter.js";
export { connectRedis, createRedisRateLimiter, createRedisThrottleStore } from "./redis-store.js";
export {
  MAX_CONSECUTIVE_FAILURES,
  attemptKey,
  clearAttempts,
  isLocked,
  releaseAttempt,
  reserveAttempt,
} from "./login-attempts.repository.js";
