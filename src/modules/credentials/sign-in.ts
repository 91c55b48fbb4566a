/**
 * Sign-in (OWASP Authentication Cheat Sheet; SECURITY.md "Login and throttling").
 *
 * - Unknown login, wrong password, inactive person, no password yet and a locked login all end
 *   in the same `invalid_credentials` after the same work: the same statements (the attempt is
 *   counted in `login_attempts` whoever is named) and one Argon2 verification each.
 * - Attempts are counted per person (username and email share a counter) and per IP, with
 *   growing delays, one evaluation at a time per person, and a hard cap of 100 consecutive
 *   failures (password-attempt.ts). Reaching the cap emails the person an unlock link
 *   (login-lockout.ts).
 * - A browser the person signed in from before is trusted: its attempts are counted apart, so a
 *   stranger's guesses never hold the person out of it.
 * - Every sign-in is a new session id; a session the browser already held is ended with it.
 */
import { DomainError } from "../../shared/errors.js";
import { recordAuditEvent } from "../audit/index.js";
import { findTrustedBrowser } from "../sessions/index.js";
import { createPendingSignIn, twoFactorSummary } from "../two-factor/index.js";
import {
  findStaffByLogin,
  fullName,
  lockStaffById,
  normalizeLogin,
  toStaffView,
  updateStaff,
  type StaffView,
} from "../staff/index.js";
import { loginSubject, staffSubject } from "../throttling/index.js";
import type { AccountContext, CredentialsDeps, RequestContext } from "./credentials.deps.js";
import { onLoginLocked } from "./login-lockout.js";
import { attemptPassword } from "./password-attempt.js";
import { startSession, type BrowserCookies, type StartedSession } from "./start-session.js";

export interface SignInInput {
  readonly login: string;
  readonly password: string;
  readonly staySignedIn: boolean;
}

/** What the browser brought: the session it may already hold, and its trusted-browser id. */
export type SignInBrowser = BrowserCookies;

export type SignInResult =
  | ({
      readonly kind: "signed_in";
      readonly staff: StaffView;
      readonly passwordChangeRequired: boolean;
    } & StartedSession)
  | {
      readonly kind: "second_factor_required";
      /** Goes into the pending-sign-in cookie and nowhere else. */
      readonly pendingToken: string;
      readonly methods: readonly SecondFactorKind[];
      /** The business requires two-factor and the person has none yet: they set one up now. */
      readonly enrollmentRequired: boolean;
    };

export type SecondFactorKind = "totp" | "recovery_code" | "passkey";

export async function signIn(
  deps: CredentialsDeps,
  account: AccountContext,
  input: SignInInput,
  request: RequestContext & SignInBrowser,
): Promise<SignInResult> {
  // Under a flood, refuse before touching the database: refusals must cost next to nothing.
  if (deps.hasher.saturated) throw new DomainError("overloaded", undefined, undefined, 1);
  const now = deps.clock.now();
  const normalizedLogin = normalizeLogin(input.login);
  const staff = await findStaffByLogin(deps.db, account.id, normalizedLogin);
  // Looked up whether or not the login names anyone: the cost tells nothing about the login.
  const trusted = request.browserToken ? await findTrustedBrowser(deps.db, request.browserToken, now) : undefined;
  const browser =
    trusted && staff && trusted.staffId === staff.id && trusted.accountId === account.id ? trusted : undefined;
  const target = staff ? { type: "staff" as const, id: staff.id, name: fullName(staff) } : null;
  const typed = loginSubject(account.id, normalizedLogin);
  const outcome = await attemptPassword(deps, {
    capSubject: staff ? staffSubject(staff.id) : typed,
    keys: { subject: browser ? `browser:${browser.idHash}` : typed, ip: request.ip ?? "unknown" },
    passwordHash: staff?.password_hash ?? null,
    password: input.password,
    browser,
    audit: { accountId: account.id, source: "office_portal", target, ip: request.ip },
  });
  const fail = async (reason: string) => {
    await recordAuditEvent(deps.db, deps, {
      accountId: account.id,
      source: "office_portal",
      actor: null,
      action: "auth.sign_in_failed",
      target,
      ip: request.ip,
      details: { reason, ...(browser ? { trustedBrowser: true } : {}) },
    });
    return new DomainError("invalid_credentials");
  };
  if (!staff) throw await fail("unknown_login");
  if (!outcome.valid) {
    const error = await fail(outcome.reason);
    if (outcome.lockedNow) await onLoginLocked(deps, account, staff, request);
    throw error;
  }
  // Checked after the verification, so that an inactive person costs the same time.
  if (staff.status !== "active") throw await fail("inactive");
  const verifiedHash = staff.password_hash;
  const rehashed = outcome.needsRehash ? await deps.hasher.hash(input.password) : undefined;
  const factors = await twoFactorSummary(deps.db, account.id, staff.id);
  const methods: SecondFactorKind[] = [
    ...(factors.totp ? (["totp"] as const) : []),
    ...(factors.recoveryCodesLeft > 0 ? (["recovery_code"] as const) : []),
    ...(factors.passkeys > 0 ? (["passkey"] as const) : []),
  ];
  const hasSecondFactor = factors.totp || factors.passkeys > 0;
  const secondStepDue = hasSecondFactor || account.require_two_factor === 1;
  const result = await deps.db.transaction().execute(async (tx) => {
    // The password was checked against the row as it was read: if a password change, a reset
    // or a deactivation landed meanwhile, this sign-in is for a password that no longer is.
    const current = await lockStaffById(tx, account.id, staff.id);
    if (!current || current.status !== "active" || current.password_hash !== verifiedHash) return undefined;
    if (rehashed) await updateStaff(tx, account.id, staff.id, { password_hash: rehashed });
    if (secondStepDue) {
      const pending = await createPendingSignIn(tx, deps, {
        accountId: account.id,
        staffId: staff.id,
        staySignedIn: input.staySignedIn,
        enrollmentRequired: !hasSecondFactor,
        amr: ["pwd"],
      });
      await recordAuditEvent(tx, deps, {
        accountId: account.id,
        source: "office_portal",
        actor: target,
        action: "auth.second_factor_required",
        target,
        ip: request.ip,
        details: { enrollmentRequired: !hasSecondFactor, methods },
      });
      return {
        kind: "second_factor_required" as const,
        pendingToken: pending.token,
        methods,
        enrollmentRequired: !hasSecondFactor,
      };
    }
    const started = await startSession(
      tx,
      deps,
      {
        accountId: account.id,
        staffId: staff.id,
        person: target as NonNullable<typeof target>,
        staySignedIn: input.staySignedIn,
        amr: ["pwd"],
        details: { rehashed: rehashed !== undefined, ...(browser ? { trustedBrowser: true } : {}) },
      },
      request,
    );
    return {
      kind: "signed_in" as const,
      ...started,
      staff: toStaffView(current, factors),
      passwordChangeRequired: current.must_change_password === 1,
    };
  });
  if (!result) throw await fail("changed_during_sign_in");
  return result;
}
