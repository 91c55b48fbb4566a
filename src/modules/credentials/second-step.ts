/**
 * The second step of a sign-in (API.md v2, "two-factor sign-in"): a pending sign-in (after the
 * right password) becomes a session once an authenticator code or a recovery code passes —
 * or, when the business requires two-factor and the person has none yet, once they set up an
 * authenticator app and give its first code. The pending sign-in is consumed by the step that
 * completes it: one winner, however many race.
 */
import { DomainError } from "../../shared/errors.js";
import {
  checkSecondFactor,
  confirmTotpEnrolment,
  consumePendingSignIn,
  findPendingSignIn,
  type FactorOwner,
  type PendingSignInRow,
  type SecondFactorInput,
  twoFactorSummary,
} from "../two-factor/index.js";
import { findStaffById, fullName, lockStaffById, toStaffView, type StaffRow, type StaffView } from "../staff/index.js";
import type { AccountContext, CredentialsDeps, RequestContext } from "./credentials.deps.js";
import { startSession, type BrowserCookies, type StartedSession } from "./start-session.js";

export interface SignedIn extends StartedSession {
  readonly staff: StaffView;
  readonly passwordChangeRequired: boolean;
}

export const expired = () =>
  new DomainError("unauthenticated", "Your sign-in took too long or was already used. Please sign in again.");

/** The pending sign-in behind the cookie, with its person (active), or `unauthenticated`. */
export async function pendingSignIn(
  deps: CredentialsDeps,
  account: AccountContext,
  pendingToken: string | undefined,
): Promise<{ pending: PendingSignInRow; staff: StaffRow }> {
  const pending = pendingToken
    ? await findPendingSignIn(deps.db, pendingToken, account.id, deps.clock.now())
    : undefined;
  const staff = pending?.staff_id ? await findStaffById(deps.db, account.id, pending.staff_id) : undefined;
  if (!pending || !staff || staff.status !== "active") throw expired();
  return { pending, staff };
}

export function factorOwner(
  account: AccountContext,
  staff: Pick<StaffRow, "id" | "username" | "first_name" | "last_name" | "email">,
): FactorOwner {
  return {
    accountId: account.id,
    accountName: account.name,
    staffId: staff.id,
    username: staff.username,
    firstName: staff.first_name,
    email: staff.email,
    party: { type: "staff", id: staff.id, name: fullName(staff) },
  };
}

/**
 * Consumes the pending sign-in and starts the session, in one transaction: the end of every
 * second step (a code, a recovery code, a passkey) and of a passwordless passkey sign-in, whose
 * pending sign-in had no person until the passkey named one (`staffId`).
 */
export async function finishSignIn(
  deps: CredentialsDeps,
  account: AccountContext,
  pending: PendingSignInRow,
  method: string,
  request: RequestContext & BrowserCookies,
  staffId: string | null = pending.staff_id,
): Promise<SignedIn> {
  return deps.db.transaction().execute(async (tx) => {
    if (!(await consumePendingSignIn(tx, pending.id_hash, deps.clock.now()))) throw expired();
    if (pending.staff_id !== null && pending.staff_id !== staffId) throw expired();
    const staff = staffId ? await lockStaffById(tx, account.id, staffId) : undefined;
    if (!staff || staff.status !== "active") throw expired();
    const started = await startSession(
      tx,
      deps,
      {
        accountId: account.id,
        staffId: staff.id,
        person: { type: "staff", id: staff.id, name: fullName(staff) },
        staySignedIn: pending.stay_signed_in === 1,
        amr: [...pending.amr.split(",").filter(Boolean), method],
      },
      request,
    );
    const staffView = toStaffView(staff, await twoFactorSummary(tx, account.id, staff.id));
    return { ...started, staff: staffView, passwordChangeRequired: staff.must_change_password === 1 };
  });
}

/** A pending sign-in may set up a first factor only when the business requires one and there is none. */
export function requireEnrolmentDue(pending: PendingSignInRow): void {
  if (pending.enrollment_required !== 1) {
    throw new DomainError("unauthenticated", "Finish signing in first: use your second step.");
  }
}

/** `POST …/session/second-factor`: a code or a recovery code completes the sign-in. */
export async function completeSecondFactor(
  deps: CredentialsDeps,
  account: AccountContext,
  pendingToken: string | undefined,
  input: SecondFactorInput,
  request: RequestContext & BrowserCookies,
): Promise<SignedIn> {
  const { pending, staff } = await pendingSignIn(deps, account, pendingToken);
  if (pending.enrollment_required === 1) {
    throw new DomainError("conflict", "Set up an authenticator app first: this business requires two-factor sign-in.");
  }
  const person = {
    accountId: account.id,
    subject: `staff:${staff.id}`,
    party: { type: "staff" as const, id: staff.id, name: fullName(staff) },
  };
  await checkSecondFactor(deps, person, input, request.ip);
  // RFC 8176 "otp": an authenticator code, and a recovery code too (a one-time password).
  return finishSignIn(deps, account, pending, "otp", request);
}

/** Enrolment during sign-in (the business requires it): the first code confirms the app and signs in. */
export async function confirmEnrolmentAndSignIn(
  deps: CredentialsDeps,
  account: AccountContext,
  pendingToken: string | undefined,
  code: string,
  request: RequestContext & BrowserCookies,
): Promise<SignedIn & { recoveryCodes: string[] }> {
  const { pending, staff } = await pendingSignIn(deps, account, pendingToken);
  requireEnrolmentDue(pending);
  // The flag was set when the password passed: a passkey added since then is the second step.
  if ((await twoFactorSummary(deps.db, account.id, staff.id)).passkeys > 0) {
    throw new DomainError("unauthenticated", "Finish signing in first: use your second step.");
  }
  const { recoveryCodes } = await confirmTotpEnrolment(deps, factorOwner(account, staff), code, request.ip);
  const signedIn = await finishSignIn(deps, account, pending, "otp", request);
  return { ...signedIn, recoveryCodes };
}
