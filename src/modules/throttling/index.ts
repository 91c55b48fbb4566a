export {
  PER_IP_RULE,
  PER_LOGIN_RULE,
  createLoginThrottle,
  delayAfterFailures,
  loginSubject,
  staffSubject,
  type LoginAttemptKeys,
  type LoginThrottle,
} from "./login-throttle.js";
export { createMemoryThrottleStore, type FailureRecord, type ThrottleStore } from "./throttle-store.js";
export { createMemoryRateLimiter, type RateLimit, type RateLimiter } from "./rate-limiter.js";
export { connectRedis, createRedisRateLimiter, createRedisThrottleStore } from "./redis-store.js";
export {
  MAX_CONSECUTIVE_FAILURES,
  attemptKey,
  clearAttempts,
  isLocked,
  releaseAttempt,
  reserveAttempt,
  type AttemptReservation,
} from "./login-attempts.repository.js";
