/**
 * The one way a password is evaluated — sign-in, re-authentication, the proof of the current
 * password, vendor support sign-in (OWASP Authentication Cheat Sheet; SECURITY.md "Login and
 * throttling") — so that every path holds the same limits:
 *
 * 1. growing delays per key and per IP (throttling). The key is what the caller typed or holds —
 *    the login as typed, the session, the trusted browser — never "the person", so the delays
 *    don't tell a stranger that a username and an email are one person's. A throttled attempt is
 *    refused before any other work (and again under the lock), and audited at most once a
 *    minute per person, or per IP for logins that match nobody, with a count;
 * 2. one evaluation at a time per key, on every node;
 * 3. the hard cap (login-attempts), per person: the attempt is counted before it is evaluated,
 *    by the same upsert whoever is named, and past the cap nothing is evaluated;
 * 4. exactly one Argon2 verification, against a dummy hash when there is nothing real to check.
 *
 * A trusted browser of the person (sessions/trusted-browsers.ts) is counted apart: its own delays
 * and its own cap instead of the person's.
 */
import type { Executor } from "../../db/database.js";
import { DomainError } from "../../shared/errors.js";
import { recordRepeatedAuditEvent, type AuditParty, type AuditSource } from "../audit/index.js";
import { clearBrowserAttempts, reserveBrowserAttempt, type TrustedBrowser } from "../sessions/index.js";
import type { LoginAttemptKeys } from "../throttling/index.js";
import type { CredentialsDeps } from "./credentials.deps.js";
import { MAX_CONSECUTIVE_FAILURES, clearAttempts, releaseAttempt, reserveAttempt } from "../throttling/index.js";

export type AttemptOutcome =
  | { readonly valid: true; readonly needsRehash: boolean }
  | {
      readonly valid: false;
      readonly reason: "wrong_password" | "no_password" | "locked";
      /** This failure was the one that reached the hard cap. */
      readonly lockedNow: boolean;
    };

/** How a throttled attempt is written to the audit log. */
export interface ThrottledAudit {
  readonly accountId: string | null;
  readonly source: AuditSource;
  /** The person the login names; null when it names nobody. */
  readonly target: AuditParty | null;
  readonly ip: string | null;
}

export interface PasswordAttempt {
  /** The hard cap's subject: `staff:<id>`, `agent:<id>`, or the login itself when it names nobody. */
  readonly capSubject: string;
  /** The delays' and the one-at-a-time lock's key, with the client's IP. */
  readonly keys: LoginAttemptKeys;
  /** Null when there is nothing to check (no such login, or no password yet): a dummy hash is used. */
  readonly passwordHash: string | null;
  readonly password: string;
  /** The person's trusted browser, when the request came from one: its own cap instead of the person's. */
  readonly browser?: TrustedBrowser | undefined;
  /** The hard cap, when it must be lower than MAX_CONSECUTIVE_FAILURES (support agents). */
  readonly maxFailures?: number | undefined;
  readonly audit: ThrottledAudit;
}

/** Refuses while the key or the IP must wait; the refusal is audited, coalesced per minute. */
async function refuseIfThrottled(deps: CredentialsDeps, attempt: PasswordAttempt): Promise<void> {
  const wait = await deps.loginThrottle.secondsToWait(attempt.keys);
  if (wait <= 0) return;
  const { audit } = attempt;
  await recordRepeatedAuditEvent(deps.db, deps, {
    ...audit,
    // Per person, or per IP for logins that match nobody: made-up logins can't multiply rows.
    key: audit.target?.id ?? `ip:${audit.ip ?? "unknown"}`,
    actor: null,
    action: "auth.sign_in_throttled",
    details: { retryAfterSeconds: wait },
  });
  throw new DomainError("too_many_attempts", undefined, undefined, wait);
}

/** Runs `work` as the only evaluation for this key on any node; a second one is refused for now. */
async function oneAtATime<T>(deps: CredentialsDeps, key: string, work: () => Promise<T>): Promise<T> {
  const release = await deps.loginThrottle.begin(key);
  if (!release) throw new DomainError("too_many_attempts", undefined, undefined, 1);
  try {
    return await work();
  } finally {
    await release();
  }
}

/** Delays, one at a time, the hard cap, one verification: the outcome of one password attempt. */
export async function attemptPassword(deps: CredentialsDeps, attempt: PasswordAttempt): Promise<AttemptOutcome> {
  await refuseIfThrottled(deps, attempt);
  return oneAtATime(deps, attempt.keys.subject, async () => {
    // Again under the lock: a failure recorded just before it was taken counts.
    await refuseIfThrottled(deps, attempt);
    return evaluate(deps, attempt);
  });
}

async function evaluate(deps: CredentialsDeps, attempt: PasswordAttempt): Promise<AttemptOutcome> {
  const { browser, keys } = attempt;
  const db: Executor = deps.db;
  const now = deps.clock.now();
  const maxFailures = attempt.maxFailures ?? MAX_CONSECUTIVE_FAILURES;
  const reservation = browser
    ? { reserved: await reserveBrowserAttempt(db, browser), failures: 0 }
    : await reserveAttempt(db, attempt.capSubject, now, maxFailures);
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
    if (!browser) await releaseAttempt(db, attempt.capSubject);
    throw error;
  }
  if (!verification.valid) {
    await deps.loginThrottle.recordFailure(keys);
    const failures = "failures" in reservation ? reservation.failures : 0;
    return { valid: false, reason: "wrong_password", lockedNow: !browser && failures >= maxFailures };
  }
  // A success ends the run of consecutive failures it was counted in. One from a trusted browser
  // leaves the person's count alone: a stranger's guesses are lifted only by the person's unlock
  // link or a new password, never by the person merely signing in elsewhere.
  if (browser) await clearBrowserAttempts(db, browser);
  else await clearAttempts(db, attempt.capSubject);
  await deps.loginThrottle.clear(keys.subject);
  return { valid: true, needsRehash: verification.needsRehash };
}
