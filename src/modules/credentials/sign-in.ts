/**
 * Sign-in (OWASP Authentication Cheat Sheet; SECURITY.md "Login and throttling").
 * Unknown login, wrong password, inactive person and no password yet all end in the same
 * `invalid_credentials` after the same work: one Argon2 verification each.
 */
import { DomainError } from "../../shared/errors.js";
import { recordAuditEvent } from "../audit/index.js";
import { createSession, type NewSession } from "../sessions/index.js";
import {
  findStaffByLogin,
  fullName,
  incrementFailedLoginStreak,
  normalizeLogin,
  toStaffView,
  updateStaff,
  type StaffRow,
  type StaffView,
} from "../staff/index.js";
import type { AccountContext, CredentialsDeps, RequestContext } from "./credentials.deps.js";

/** NIST SP 800-63B: no more than 100 consecutive failures before the password must be reset. */
export const MAX_CONSECUTIVE_FAILURES = 100;
const LOCKED_RETRY_AFTER_SECONDS = 15 * 60;

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

export async function signIn(
  deps: CredentialsDeps,
  account: AccountContext,
  input: SignInInput,
  request: RequestContext,
): Promise<SignInResult> {
  const normalizedLogin = normalizeLogin(input.login);
  const throttleKeys = { accountId: account.id, normalizedLogin, ip: request.ip ?? "unknown" };
  const wait = await deps.loginThrottle.secondsToWait(throttleKeys);
  if (wait > 0) throw new DomainError("too_many_attempts", undefined, undefined, wait);

  const staff = await findStaffByLogin(deps.db, account.id, normalizedLogin);
  if (staff && staff.failed_login_streak >= MAX_CONSECUTIVE_FAILURES) {
    await recordFailure(deps, account, staff, "locked", request);
    throw new DomainError("too_many_attempts", undefined, undefined, LOCKED_RETRY_AFTER_SECONDS);
  }

  const check = await checkPassword(deps, staff, input.password);
  if (!check.ok) {
    await deps.loginThrottle.recordFailure(throttleKeys);
    await recordFailure(deps, account, staff, check.reason, request);
    throw new DomainError("invalid_credentials");
  }
  const signedIn = check.staff;

  await deps.loginThrottle.clearLogin(account.id, normalizedLogin);
  const rehashed = check.needsRehash ? await deps.hasher.hash(input.password) : undefined;
  const session = await deps.db.transaction().execute(async (tx) => {
    const now = deps.clock.now();
    if (signedIn.failed_login_streak !== 0 || rehashed) {
      await updateStaff(tx, account.id, signedIn.id, {
        failed_login_streak: 0,
        ...(rehashed ? { password_hash: rehashed } : {}),
      });
    }
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
      details: { staySignedIn: input.staySignedIn, rehashed: rehashed !== undefined, at: now },
    });
    return created;
  });

  return {
    staff: toStaffView(signedIn),
    passwordChangeRequired: signedIn.must_change_password === 1,
    session,
  };
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
  const { valid, needsRehash } = await deps.hasher.verify(staff.password_hash, password);
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
  await deps.db.transaction().execute(async (tx) => {
    if (staff && reason === "wrong_password") {
      await incrementFailedLoginStreak(tx, account.id, staff.id);
    }
    await recordAuditEvent(tx, deps, {
      accountId: account.id,
      source: "office_portal",
      actor: null,
      action: "auth.sign_in_failed",
      target: staff ? { type: "staff", id: staff.id, name: fullName(staff) } : null,
      ip: request.ip,
      details: { reason },
    });
  });
}
