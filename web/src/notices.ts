// One-line notices handed to the login page through navigation state. Only these keys are
// accepted, so history state can never put arbitrary text on the page.
import { SIGNED_OUT_REASONS, isSignedOutReason, type SignedOutReason } from "../../src/contract/signed-out-reasons";

const loginNotices = {
  signedOut: "You have been signed out.",
  passwordChanged: "Your password was changed. Sign in with your new password.",
  sessionEnded: "Your session has ended. Please sign in again.",
  accessChanged: "Your access was changed, so you were signed out. Sign in again to continue.",
} as const;

export type LoginNotice = keyof typeof loginNotices;

export function loginNoticeState(notice: LoginNotice): { notice: LoginNotice } {
  return { notice };
}

/**
 * The sign-in page's state after the server ended the session for `reason` (a 401's
 * `details.reason`): the contract's sentence for it, or the generic one for a reason this UI
 * doesn't know yet.
 */
export function signedOutReasonState(reason: string): { notice: LoginNotice } | { signedOutReason: SignedOutReason } {
  return isSignedOutReason(reason) ? { signedOutReason: reason } : loginNoticeState("sessionEnded");
}

export function readLoginNotice(state: unknown): string | null {
  if (typeof state !== "object" || state === null) return null;
  if ("signedOutReason" in state) {
    return isSignedOutReason(state.signedOutReason) ? SIGNED_OUT_REASONS[state.signedOutReason] : null;
  }
  if (!("notice" in state)) return null;
  const { notice } = state;
  return typeof notice === "string" && Object.hasOwn(loginNotices, notice) ? loginNotices[notice as LoginNotice] : null;
}
