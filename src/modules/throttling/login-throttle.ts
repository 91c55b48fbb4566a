/**
 * Growing delays after failed sign-ins (OWASP Authentication Cheat Sheet; NIST SP 800-63B-4
 * §3.2.2), counted per (account, login) and per client IP. A few free tries, then each failure
 * doubles the wait, capped at 15 minutes, so an attacker can slow a real user down but not lock
 * them out for long. The hard limit of 100 consecutive failures lives with the staff member.
 */
import type { Clock } from "../../shared/clock.js";
import type { FailureRecord, ThrottleStore } from "./throttle-store.js";

export interface ThrottleRule {
  /** Failures allowed before any delay. */
  readonly freeFailures: number;
  readonly maxDelaySeconds: number;
  /** Counters are forgotten this long after the last failure. */
  readonly windowSeconds: number;
}

export const PER_LOGIN_RULE: ThrottleRule = { freeFailures: 4, maxDelaySeconds: 15 * 60, windowSeconds: 24 * 60 * 60 };
export const PER_IP_RULE: ThrottleRule = { freeFailures: 20, maxDelaySeconds: 15 * 60, windowSeconds: 60 * 60 };

/** Seconds to wait after `failures` consecutive failures: 0, …, 0, 1, 2, 4, … up to the cap. */
export function delayAfterFailures(rule: ThrottleRule, failures: number): number {
  const over = failures - rule.freeFailures;
  if (over <= 0) return 0;
  return Math.min(2 ** (over - 1), rule.maxDelaySeconds);
}

export function secondsUntilAllowed(rule: ThrottleRule, record: FailureRecord | undefined, nowMs: number): number {
  if (!record) return 0;
  const allowedAt = record.lastFailureAt + delayAfterFailures(rule, record.failures) * 1000;
  return Math.max(0, Math.ceil((allowedAt - nowMs) / 1000));
}

export interface LoginAttemptKeys {
  /**
   * Who the attempt is against: `staff:<id>` once the login matched a person (so username and
   * email share one counter), otherwise the login text as typed (`login:<account>:<text>`).
   */
  readonly subject: string;
  readonly ip: string;
}

export interface LoginThrottle {
  /** 0 when the attempt may be evaluated; otherwise seconds to wait. */
  secondsToWait(keys: LoginAttemptKeys): Promise<number>;
  /**
   * One evaluation at a time per subject: parallel guesses would otherwise all be evaluated
   * before the first failure is counted. Returns a release function, or undefined when busy.
   */
  begin(subject: string): Promise<(() => Promise<void>) | undefined>;
  recordFailure(keys: LoginAttemptKeys): Promise<void>;
  /** After a success or a password reset: the subject starts afresh (the IP counter does not). */
  clear(subject: string): Promise<void>;
}

export const staffSubject = (staffId: string) => `staff:${staffId}`;
export const loginSubject = (accountId: string, normalizedLogin: string) => `login:${accountId}:${normalizedLogin}`;
const ipKey = (ip: string) => `ip:${ip}`;
/** Longer than any evaluation (an Argon2 verification plus queueing); a crashed node frees it. */
const EVALUATION_LOCK_MS = 10_000;

export function createLoginThrottle(store: ThrottleStore, clock: Clock): LoginThrottle {
  return {
    async secondsToWait(keys) {
      const now = clock.now();
      const [bySubject, byIp] = await Promise.all([store.read(keys.subject, now), store.read(ipKey(keys.ip), now)]);
      return Math.max(secondsUntilAllowed(PER_LOGIN_RULE, bySubject, now), secondsUntilAllowed(PER_IP_RULE, byIp, now));
    },
    async begin(subject) {
      const lock = `lock:${subject}`;
      const token = await store.tryLock(lock, EVALUATION_LOCK_MS);
      if (token === undefined) return undefined;
      return () => store.unlock(lock, token);
    },
    async recordFailure(keys) {
      const now = clock.now();
      await Promise.all([
        store.recordFailure(keys.subject, now, PER_LOGIN_RULE.windowSeconds),
        store.recordFailure(ipKey(keys.ip), now, PER_IP_RULE.windowSeconds),
      ]);
    },
    async clear(subject) {
      await store.clear(subject);
    },
  };
}
