/**
 * The one way a password is evaluated for sign-in, re-authentication and the proof of the current
 * password (OWASP Authentication Cheat Sheet; SECURITY.md "Login and throttling"), so that every
 * path holds the same limits:
 *
 * 1. growing delays per subject and per IP (throttling) — a throttled attempt is refused before
 *    any other work, and audited at most once a minute per subject, with a count;
 * 2. one evaluation at a time per subject, on every node;
 * 3. the hard cap (login-attempts): the attempt is counted before it is evaluated, by the same
 *    upsert whoever is named, and past 100 consecutive failures nothing is evaluated;
 * 4. exactly one Argon2 verification, against a dummy hash when there is nothing real to check.
 *
 * A trusted browser of the person (sessions/trusted-browsers.ts) is counted apart: its own delays
 * and cap instead of the person's.
 */
import type { Executor } from "../../db/database.js";
import { DomainError } from "../../shared/errors.js";
import { recordRepeatedAuditEvent, type AuditParty, type AuditSource } from "../audit/index.js";
import { clearBrowserAttempts, reserveBrowserAttempt, type TrustedBrowser } from "../sessions/index.js";
import type { LoginAttemptKeys } from "../throttling/index.js";
import type { CredentialsDeps } from "./credentials.deps.js";
import {
  MAX_CONSECUTIVE_FAILURES,
  clearAttempts,
  releaseAttempt,
  reserveAttempt,
} from "./login-attempts.repository.js";

export type AttemptOutcome =
  | { readonly valid: true; readonly needsRehash: boolean }
  | {
      readonly valid: false;
      readonly reason: "wrong_password" | "no_password" | "locked";
      /** This failure was the one that reached the hard cap. */
      readonly lockedNow: boolean;
    };

export interface PasswordAttempt {
  /** Who the attempt is against: `staff:<id>`, `agent:<id>`, or a login that matches nobody. */
  readonly subject: string;
  readonly ip: string;
  /** Null when there is nothing to check (no such login, or no password yet): a dummy hash is used. */
  readonly passwordHash: string | null;
  readonly password: string;
  /** The person's trusted browser, when the request came from one. */
  readonly browser?: TrustedBrowser | undefined;
  /** The hard cap for this subject, when it must be lower than MAX_CONSECUTIVE_FAILURES. */
  readonly maxFailures?: number | undefined;
}

/** How a throttled attempt is written to the audit log (once a minute per subject, with a count). */
export interface ThrottledAudit {
  readonly accountId: string | null;
  readonly source: AuditSource;
  readonly target: AuditParty | null;
  readonly ip: string | null;
}

/** The throttling keys of an attempt: a trusted browser has delays of its own. */
export function attemptKeys(attempt: Pick<PasswordAttempt, "subject" | "ip" | "browser">): LoginAttemptKeys {
  return { subject: attempt.browser ? `browser:${attempt.browser.idHash}` : attempt.subject, ip: attempt.ip };
}

/** Refuses while the subject or the IP must wait; the refusal is audited, coalesced per minute. */
export async function refuseIfThrottled(
  deps: CredentialsDeps,
  keys: LoginAttemptKeys,
  audit: ThrottledAudit,
): Promise<void> {
  const wait = await deps.loginThrottle.secondsToWait(keys);
  if (wait <= 0) return;
  await recordRepeatedAuditEvent(deps.db, deps, {
    ...audit,
    key: keys.subject,
    actor: null,
    action: "auth.sign_in_throttled",
    details: { retryAfterSeconds: wait },
  });
  throw new DomainError("too_many_attempts", undefined, undefined, wait);
}

/** Runs `work` as the only evaluation for this subject on any node; a second one waits its turn. */
export async function oneAtATime<T>(deps: CredentialsDeps, subject: string, work: () => Promise<T>): Promise<T> {
  const release = await deps.loginThrottle.begin(subject);
  if (!release) throw new DomainError("too_many_attempts", undefined, undefined, 1);
  try {
    return await work();
  } finally {
    await release();
  }
}

/** Counts the attempt, then verifies once. Call inside `oneAtATime` for the same subject. */
export async function evaluatePasswordAttempt(
  deps: CredentialsDeps,
  attempt: PasswordAttempt,
): Promise<AttemptOutcome> {
  const { browser } = attempt;
  const keys = attemptKeys(attempt);
  const db: Executor = deps.db;
  const now = deps.clock.now();
  const maxFailures = attempt.maxFailures ?? MAX_CONSECUTIVE_FAILURES;
  const reservation = browser
    ? { reserved: await reserveBrowserAttempt(db, browser), failures: 0 }
    : await reserveAttempt(db, attempt.subject, now, maxFailures);
  if (!reservation.reserved || attempt.passwordHash === null) {
    // Locked, or nothing to check: the same answer after the same work as a wrong password.
    await deps.hasher.verifyAgainstDummy(attempt.password);
    await deps.loginThrottle.recordFailure(keys);
    return { valid: false, reason: reservation.reserved ? "no_password" : "locked", lockedNow: false };
  }
  let verification: { valid: boolean; needsRehash: boolean };
  try {
    verification = await deps.hasher.verify(attempt.passwordHash, attempt.password);
  } catch (error) {
    // Not evaluated (the server shed it): the reserved attempt is given back.
    if (!browser) await releaseAttempt(db, attempt.subject);
    throw error;
  }
  if (!verification.valid) {
    await deps.loginThrottle.recordFailure(keys);
    const failures = "failures" in reservation ? reservation.failures : 0;
    return { valid: false, reason: "wrong_password", lockedNow: !browser && failures >= maxFailures };
  }
  // A success ends the run of consecutive failures it was counted in. One from a trusted browser
  // leaves the person's count alone: a stranger's 100 guesses are lifted only by the person's
  // unlock link or a new password, never by the person merely signing in elsewhere.
  if (browser) await clearBrowserAttempts(db, browser);
  else await clearAttempts(db, attempt.subject);
  await deps.loginThrottle.clear(keys.subject);
  return { valid: true, needsRehash: verification.needsRehash };
}
