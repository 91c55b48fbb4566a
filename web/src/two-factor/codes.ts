// What a person types as a second step, tidied the way the server reads it, and the words the
// pages use about it.
import { ApiError } from "../api";

/** An authenticator code as typed ("123 456", "123-456") → "123456", or null when it isn't 6 digits. */
export function totpCodeFrom(typed: string): string | null {
  const digits = typed.replace(/[\s-]+/g, "");
  return /^\d{6}$/.test(digits) ? digits : null;
}

export const CODE_MISSING = "Enter the 6-digit code from your authenticator app.";
export const CODE_WRONG = "That code didn't work. Check the code your app shows now (it changes every 30 seconds).";
export const RECOVERY_CODE_MISSING = "Enter one of your recovery codes.";
export const PASSKEY_WRONG = "That passkey couldn't be used here. Try again, or use another way.";
export const RECOVERY_CODE_WRONG =
  "That recovery code didn't work. Check it, or try another one: each code works only once.";

export function isInvalidSecondFactor(error: unknown): boolean {
  return error instanceof ApiError && error.code === "invalid_second_factor";
}

/** The pending sign-in is over (5 minutes, or already used): the sign-in starts again. */
export function isPendingSignInOver(error: unknown): boolean {
  return error instanceof ApiError && error.code === "unauthenticated";
}

export const SIGN_IN_TOOK_TOO_LONG =
  "Your sign-in took longer than 5 minutes, so it was stopped for your security. Please sign in again.";

/** "9 recovery codes left" */
export function recoveryCodesLeftText(count: number): string {
  return `${count} recovery ${count === 1 ? "code" : "codes"} left`;
}

/** The text of a downloaded recovery-codes file. */
export function recoveryCodesFile(codes: readonly string[], who: { username: string; business: string }): string {
  return [
    `Recovery codes for ${who.username} at ${who.business} (Staffgate Office Portal)`,
    `Made ${new Date().toLocaleString()}. Each code signs you in once instead of a code from your`,
    "authenticator app. Keep them somewhere safe; making new codes stops these working.",
    "",
    ...codes,
    "",
  ].join("\r\n");
}
