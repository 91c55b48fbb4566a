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
import {
  createSession,
  endSession,
  findTrustedBrowser,
  trustBrowser,
  type NewSession,
  type TrustedBrowser,
} from "../sessions/index.js";
import {
  findStaffByLogin,
  fullName,
  normalizeLogin,
  toStaffView,
  updateStaff,
  type StaffView,
} from "../staff/index.js";
import { loginSubject, staffSubject } from "../throttling/index.js";
import type { AccountContext, CredentialsDeps, RequestContext } from "./credentials.deps.js";
import { onLoginLocked } from "./login-lockout.js";
import { evaluatePasswordAttempt, oneAtATime, refuseIfThrottled, attemptKeys } from "./password-attempt.js";

export interface SignInInput {
  readonly login: string;
  readonly password: string;
  readonly staySignedIn: boolean;
}

/** What the browser brought: the session it may already hold, and its trusted-browser id. */
export interface SignInBrowser {
  readonly sessionToken?: string | undefined;
  readonly browserToken?: string | undefined;
}

export interface SignInResult {
  readonly staff: StaffView;
  readonly passwordChangeRequired: boolean;
  readonly session: NewSession;
  /** A fresh trusted-browser id for the cookie. */
  readonly browser: { readonly token: string; readonly maxAgeSeconds: number };
}

export async function signIn(
  deps: CredentialsDeps,
  account: AccountContext,
  input: SignInInput,
  request: RequestContext & SignInBrowser,
): Promise<SignInResult> {
  // Under a flood, refuse before touching the database: refusals must cost next to nothing.
  if (deps.hasher.saturated) throw new DomainError("overloaded", undefined, undefined, 1);
  const normalizedLogin = normalizeLogin(input.login);
  const staff = await findStaffByLogin(deps.db, account.id, normalizedLogin);
  // Only the cookie's holder sees the cost of this look-up: it tells nobody else anything.
  const browser: TrustedBrowser | undefined =
    staff && request.browserToken
      ? await findTrustedBrowser(deps.db, request.browserToken, staff, deps.clock.now())
      : undefined;
  const attempt = {
    subject: staff ? staffSubject(staff.id) : loginSubject(account.id, normalizedLogin),
    ip: request.ip ?? "unknown",
    browser,
  };
  const target = staff ? { type: "staff" as const, id: staff.id, name: fullName(staff) } : null;
  await refuseIfThrottled(deps, attemptKeys(attempt), {
    accountId: account.id,
    source: "office_portal",
    target,
    ip: request.ip,
  });
  return oneAtATime(deps, attemptKeys(attempt).subject, async () => {
    const outcome = await evaluatePasswordAttempt(deps, {
      ...attempt,
      passwordHash: staff?.password_hash ?? null,
      password: input.password,
    });
    // Checked after the verification, so that an inactive person costs the same time.
    const reason = !outcome.valid ? outcome.reason : staff?.status !== "active" ? "inactive" : undefined;
    if (reason !== undefined || !staff) {
      await recordAuditEvent(deps.db, deps, {
        accountId: account.id,
        source: "office_portal",
        actor: null,
        action: "auth.sign_in_failed",
        target,
        ip: request.ip,
        details: { reason: staff ? reason : "unknown_login", ...(browser ? { trustedBrowser: true } : {}) },
      });
      if (staff && !outcome.valid && outcome.lockedNow) await onLoginLocked(deps, account, staff, request);
      throw new DomainError("invalid_credentials");
    }
    const rehashed = outcome.valid && outcome.needsRehash ? await deps.hasher.hash(input.password) : undefined;
    const result = await deps.db.transaction().execute(async (tx) => {
      if (rehashed) await updateStaff(tx, account.id, staff.id, { password_hash: rehashed });
      // Whatever session this browser held (anyone's) ends: one browser, one session, new id.
      if (request.sessionToken) await endSession(tx, request.sessionToken);
      const session = await createSession(tx, deps, {
        accountId: account.id,
        staffId: staff.id,
        staySignedIn: input.staySignedIn,
        ip: request.ip,
        userAgent: request.userAgent,
      });
      const trusted = await trustBrowser(tx, deps, {
        accountId: account.id,
        staffId: staff.id,
        replacing: request.browserToken,
      });
      await recordAuditEvent(tx, deps, {
        accountId: account.id,
        source: "office_portal",
        actor: target,
        action: "auth.signed_in",
        target,
        ip: request.ip,
        details: {
          staySignedIn: input.staySignedIn,
          rehashed: rehashed !== undefined,
          ...(browser ? { trustedBrowser: true } : {}),
        },
      });
      return { session, trusted };
    });
    return {
      staff: toStaffView(staff),
      passwordChangeRequired: staff.must_change_password === 1,
      session: result.session,
      browser: result.trusted,
    };
  });
}
