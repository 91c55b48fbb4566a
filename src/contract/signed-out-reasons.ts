/**
 * Why a browser's session was ended by a change elsewhere: the codes a `401 unauthenticated`
 * carries in `details.reason`, with the sentence the sign-in page shows. Shared by the server
 * and the web UI (no imports: the UI bundles this file as it is).
 */
export const SIGNED_OUT_REASONS = {
  password_changed: "Your password was changed — sign in with the new one.",
  password_reset: "Your password was reset — sign in with the new one.",
  made_inactive: "Your sign-in was turned off by an administrator. Ask them if you need access again.",
  permissions_changed: "Your permissions were changed — sign in again to carry on.",
  signed_out: "You were signed out everywhere — sign in again to carry on.",
  two_factor_reset: "Your two-step sign-in was reset — sign in again and set it up.",
} as const satisfies Record<string, string>;

export type SignedOutReason = keyof typeof SIGNED_OUT_REASONS;

export function isSignedOutReason(value: unknown): value is SignedOutReason {
  return typeof value === "string" && Object.hasOwn(SIGNED_OUT_REASONS, value);
}
