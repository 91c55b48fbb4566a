// One-line notices handed to the login page through navigation state. Only these keys are
// accepted, so history state can never put arbitrary text on the page.

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

export function readLoginNotice(state: unknown): string | null {
  if (typeof state !== "object" || state === null || !("notice" in state)) return null;
  const { notice } = state;
  return typeof notice === "string" && Object.hasOwn(loginNotices, notice) ? loginNotices[notice as LoginNotice] : null;
}
