/**
 * Sign-in (OWASP Authentication Cheat Sheet; SECURITY.md "Login and throttling").
 *
 * - Unknown login, wrong password, inactive person, no password yet and a locked login all end
 *   in the same `invalid_credentials` after the same work: one Argon2 verification each.
 * - Attempts are counted per person (username and email share a counter) and per IP, with
 *   growing delays; one evaluation at a time per person, so parallel guesses can't all be
 *   evaluated before the first failure counts.
 * - NIST SP 800-63B: at most 100 consecutive failures are ever evaluated. The attempt is
 *   reserved in the staff row before the password is verified (a conditional UPDATE), so the
 *   cap holds across nodes and races; a password reset or change lifts it.
 */
import { DomainError } from "../../shared/errors.js";
import { recordAuditEvent } from "../audit/index.js";
import { createSession, type NewSession } from "../sessions/index.js";
import {
  findStaffByLogin,
  fullName,
  normalizeLogin,
  toStaffView,
  updateStaff,
  type StaffRow,
  type StaffView,
} from "../staff/index.js";
import { loginSubject, staffSubject, type LoginAttemptKeys } from "../throttling/index.js";
import type { AccountContext, CredentialsDeps, RequestContext } from "./credentials.deps.js";

export const MAX_CONSECUTIVE_FAILURES = 100;

export interface SignInInput {
  readonly login: string;
  readonly password: string;
  readonly staySignedIn: boolean;
}

export interface SignInResult {
  readonly staff: StaffView;
  readonly passwordChangeRequired: boolean;
  readonly session: NewSession;
}

type FailureReason = "unknown_login" | "wrong_password" | "inactive" | "no_password" | "locked";

/** Counts this attempt against the person before it is evaluated; false once 100 are spent. */
async function reserveAttempt(deps: CredentialsDeps, staff: StaffRow): Promise<boolean> {
  const result = await deps.db
    .updateTable("staff")
    .set((eb) => ({ failed_login_streak: eb("failed_login_streak", "+", 1) }))
    .where("account_id", "=", staff.account_id)
    .where("id", "=", staff.id)
    .where("failed_login_streak", "<", MAX_CONSECUTIVE_FAILURES)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

async function releaseAttempt(deps: CredentialsDeps, staff: StaffRow): Promise<void> {
  await deps.db
    .updateTable("staff")
    .set((eb) => ({ failed_login_streak: eb("failed_login_streak", "-", 1) }))
    .where("account_id", "=", staff.account_id)
    .where("id", "=", staff.id)
    .where("failed_login_streak", ">", 0)
    .execute();
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

export async function signIn(
  deps: CredentialsDeps,
  account: AccountContext,
  input: SignInInput,
  request: RequestContext,
): Promise<SignInResult> {
  // Under a flood, refuse before touching the database: refusals must cost next to nothing.
  if (deps.hasher.saturated) throw new DomainError("overloaded", undefined, undefined, 1);
  const normalizedLogin = normalizeLogin(input.login);
  const staff = await findStaffByLogin(deps.db, account.id, normalizedLogin);
  const keys: LoginAttemptKeys = {
    subject: staff ? staffSubject(staff.id) : loginSubject(account.id, normalizedLogin),
    ip: request.ip ?? "unknown",
  };
  const wait = await deps.loginThrottle.secondsToWait(keys);
  if (wait > 0) throw new DomainError("too_many_attempts", undefined, undefined, wait);

  return oneAtATime(deps, keys.subject, async () => {
    const check = await checkPassword(deps, staff, input.password);
    if (!check.ok) {
      await deps.loginThrottle.recordFailure(keys);
      await recordFailure(deps, account, staff, check.reason, request);
      throw new DomainError("invalid_credentials");
    }
    const signedIn = check.staff;
    await deps.loginThrottle.clear(keys.subject);
    const rehashed = check.needsRehash ? await deps.hasher.hash(input.password) : undefined;
    const session = await deps.db.transaction().execute(async (tx) => {
      // The attempt reserved a failure; success gives the streak back.
      await updateStaff(tx, account.id, signedIn.id, {
        failed_login_streak: 0,
        ...(rehashed ? { password_hash: rehashed } : {}),
      });
      const created = await createSession(tx, deps, {
        accountId: account.id,
        staffId: signedIn.id,
        staySignedIn: input.staySignedIn,
        ip: request.ip,
        userAgent: request.userAgent,
      });
      await recordAuditEvent(tx, deps, {
        accountId: account.id,
        source: "office_portal",
        actor: { type: "staff", id: signedIn.id, name: fullName(signedIn) },
        action: "auth.signed_in",
        target: { type: "staff", id: signedIn.id, name: fullName(signedIn) },
        ip: request.ip,
        details: { staySignedIn: input.staySignedIn, rehashed: rehashed !== undefined },
      });
      return created;
    });
    return {
      staff: toStaffView(signedIn),
      passwordChangeRequired: signedIn.must_change_password === 1,
      session,
    };
  });
}

type PasswordCheck =
  | { readonly ok: true; readonly staff: StaffRow; readonly needsRehash: boolean }
  | { readonly ok: false; readonly reason: FailureReason };

async function checkPassword(
  deps: CredentialsDeps,
  staff: StaffRow | undefined,
  password: string,
): Promise<PasswordCheck> {
  if (!staff || staff.password_hash === null) {
    await deps.hasher.verifyAgainstDummy(password);
    return { ok: false, reason: staff ? "no_password" : "unknown_login" };
  }
  if (!(await reserveAttempt(deps, staff))) {
    // Locked: the same answer and the same cost as any other failure.
    await deps.hasher.verifyAgainstDummy(password);
    return { ok: false, reason: "locked" };
  }
  let verification: { valid: boolean; needsRehash: boolean };
  try {
    verification = await deps.hasher.verify(staff.password_hash, password);
  } catch (error) {
    // Not evaluated (the server shed it): the reserved attempt is given back.
    await releaseAttempt(deps, staff);
    throw error;
  }
  const { valid, needsRehash } = verification;
  if (!valid) return { ok: false, reason: "wrong_password" };
  // Checked after the verification so that an inactive person costs the same time.
  if (staff.status !== "active") return { ok: false, reason: "inactive" };
  return { ok: true, staff, needsRehash };
}

async function recordFailure(
  deps: CredentialsDeps,
  account: AccountContext,
  staff: StaffRow | undefined,
  reason: FailureReason,
  request: RequestContext,
): Promise<void> {
  await recordAuditEvent(deps.db, deps, {
    accountId: account.id,
    source: "office_portal",
    actor: null,
    action: "auth.sign_in_failed",
    target: staff ? { type: "staff", id: staff.id, name: fullName(staff) } : null,
    ip: request.ip,
    details: { reason },
  });
}
