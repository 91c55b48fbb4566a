export {
  ABSOLUTE_TIMEOUT_SECONDS,
  IDLE_TIMEOUT_SECONDS,
  STAY_SIGNED_IN_SECONDS,
  SUDO_WINDOW_SECONDS,
  TRUSTED_BROWSER_MAX_FAILURES,
  isRecentlyAuthenticated,
} from "./session-policy.js";
export {
  createSession,
  endSession,
  markSessionAuthenticated,
  resolveSession,
  resolveSessionOfAnyAccount,
  revokeAllSessionsOfStaff,
  onSignOut,
  runSignOutHook,
  type SignOutHook,
  whySessionEnded,
  type NewSession,
  type ResolvedSession,
  type SessionAccount,
  type SessionDeps,
  type SessionEnd,
} from "./sessions.service.js";
export {
  clearBrowserAttempts,
  findTrustedBrowser,
  forgetTrustedBrowsersOfStaff,
  reserveBrowserAttempt,
  trustBrowser,
  type TrustedBrowser,
} from "./trusted-browsers.js";
