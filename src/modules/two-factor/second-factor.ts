/**
 * Checking a second factor — an authenticator code or a recovery code — for a person who has
 * already proven their password (sign-in's second step, re-authentication). The same limits as
 * passwords: growing delays per person and per IP, one check at a time, and a hard cap of 100
 * consecutive failures (throttling). A code is accepted once: its 30-second step is recorded by
 * one conditional UPDATE, so a replay — on this node or another — fails; a recovery code is spent
 * the same way.
 */
import type { Kysely } from "kysely";
import type { Database } from "../../db/database.js";
import type { Clock } from "../../shared/clock.js";
import { DomainError } from "../../shared/errors.js";
import type { Random } from "../../shared/random.js";
import type { SecretBox } from "../../shared/secret-box.js";
import { recordAuditEvent, recordRepeatedAuditEvent, type AuditParty } from "../audit/index.js";
import {
  MAX_CONSECUTIVE_FAILURES,
  clearAttempts,
  releaseAttempt,
  reserveAttempt,
  type LoginThrottle,
} from "../throttling/index.js";
import { hashRecoveryCode } from "./recovery-codes.js";
import { matchTotpStep } from "./totp.js";
import { openTotpSecret, resealTotpSecret } from "./totp-secrets.js";
import { acceptTotpStep, countRecoveryCodesLeft, findTotpFactor, useRecoveryCode } from "./two-factor.repository.js";

export interface SecondFactorDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly random: Random;
  readonly secretBox: SecretBox;
  readonly loginThrottle: LoginThrottle;
}

export type SecondFactorInput = { readonly totpCode: string } | { readonly recoveryCode: string };

export type SecondFactorMethod = "otp" | "recovery_code";

/** Who is checked, for the counters and the audit log: a staff member, or a support agent. */
export interface SecondFactorPerson {
  /** The business (null for a support agent). */
  readonly accountId: string | null;
  /** `staff:<id>` or `agent:<id>`: whose authenticator app. */
  readonly subject: string;
  readonly party: AuditParty;
  /** The hard cap on wrong codes, when lower than MAX_CONSECUTIVE_FAILURES (support agents). */
  readonly maxFailures?: number;
}

export const secondFactorCapSubject = (staffId: string) => `otp:staff:${staffId}`;
const capSubject = (factorSubject: string) => `otp:${factorSubject}`;
/** Recovery codes belong to staff members (agents reset theirs through the CLI). */
const staffIdOf = (factorSubject: string) =>
  factorSubject.startsWith("staff:") ? factorSubject.slice("staff:".length) : undefined;

/** Lifts the second factor's hard cap (after a success, an admin's reset, an unlock link). */
export async function clearSecondFactorAttempts(db: Kysely<Database>, staffId: string): Promise<void> {
  await clearAttempts(db, secondFactorCapSubject(staffId));
}

/** Resolves to the method that passed; throws `invalid_second_factor` or `too_many_attempts`. */
export async function checkSecondFactor(
  deps: SecondFactorDeps,
  person: SecondFactorPerson,
  input: SecondFactorInput,
  ip: string | null,
): Promise<SecondFactorMethod> {
  const keys = { subject: capSubject(person.subject), ip: ip ?? "unknown" };
  const source = person.accountId === null ? ("support" as const) : ("office_portal" as const);
  const audit = { accountId: person.accountId, source, target: person.party, ip };
  const refuseIfThrottled = async () => {
    const wait = await deps.loginThrottle.secondsToWait(keys);
    if (wait <= 0) return;
    await recordRepeatedAuditEvent(deps.db, deps, {
      ...audit,
      key: person.subject,
      actor: null,
      action: "two_factor.throttled",
      details: { retryAfterSeconds: wait },
    });
    throw new DomainError("too_many_attempts", undefined, undefined, wait);
  };
  await refuseIfThrottled();
  const release = await deps.loginThrottle.begin(keys.subject);
  if (!release) throw new DomainError("too_many_attempts", undefined, undefined, 1);
  try {
    await refuseIfThrottled();
    const now = deps.clock.now();
    const reservation = await reserveAttempt(
      deps.db,
      keys.subject,
      now,
      person.maxFailures ?? MAX_CONSECUTIVE_FAILURES,
    );
    const method: SecondFactorMethod = "totpCode" in input ? "otp" : "recovery_code";
    let passed = false;
    try {
      passed = reservation.reserved && (await verify(deps, person, input, now));
    } catch (error) {
      await releaseAttempt(deps.db, keys.subject);
      throw error;
    }
    if (!passed) {
      await deps.loginThrottle.recordFailure(keys);
      await recordAuditEvent(deps.db, deps, {
        ...audit,
        actor: person.party,
        action: "two_factor.failed",
        details: { method, ...(reservation.reserved ? {} : { reason: "locked" }) },
      });
      // Past the cap nothing is checked: say so (the password is proven already, so this tells a
      // stranger nothing). A new password, an unlock link or an admin's reset lifts it.
      if (!reservation.reserved) {
        throw new DomainError(
          "too_many_attempts",
          "Too many wrong codes. Use the unlock link we emailed you, set a new password, or ask an administrator to reset your two-step sign-in.",
          { locked: true },
          3600,
        );
      }
      throw new DomainError("invalid_second_factor");
    }
    await clearAttempts(deps.db, keys.subject);
    await deps.loginThrottle.clear(keys.subject);
    const staffId = staffIdOf(person.subject);
    if (method === "recovery_code" && person.accountId !== null && staffId !== undefined) {
      const left = await countRecoveryCodesLeft(deps.db, person.accountId, staffId);
      await recordAuditEvent(deps.db, deps, {
        ...audit,
        actor: person.party,
        action: "two_factor.recovery_code_used",
        details: { recoveryCodesLeft: left },
      });
    }
    return method;
  } finally {
    await release();
  }
}

async function verify(
  deps: SecondFactorDeps,
  person: SecondFactorPerson,
  input: SecondFactorInput,
  now: number,
): Promise<boolean> {
  const staffId = staffIdOf(person.subject);
  if ("recoveryCode" in input) {
    if (person.accountId === null || staffId === undefined) return false;
    const staff = { account_id: person.accountId, id: staffId };
    return useRecoveryCode(deps.db, staff, hashRecoveryCode(input.recoveryCode), now);
  }
  const subject = person.subject;
  const factor = await findTotpFactor(deps.db, subject);
  if (!factor || factor.confirmed_at === null) return false;
  const secret = openTotpSecret(deps.secretBox, factor);
  const step = matchTotpStep(secret, input.totpCode, now);
  if (step === undefined || !(await acceptTotpStep(deps.db, subject, step, now, false))) return false;
  // Sealed again with today's first key at each use, so a key rotation (OUTBOX_KEYS) moves the
  // secrets in use onto the new key and the old one can be retired.
  await resealTotpSecret(deps.db, deps.secretBox, subject, secret);
  return true;
}
