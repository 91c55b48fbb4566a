export { STAY_SIGNED_IN_SECONDS, isRecentlyAuthenticated } from "./session-policy.js";
export type { SessionPrincipal } from "./session-principal.js";
export {
  createSession,
  endSession,
  markSessionAuthenticated,
  resolveSession,
  resolveSessionOfAnyAccount,
  revokeAllSessionsOfStaff,
  onSignOut,
  runSignOutHook,
  whySessionEnded,
  type NewSession,
  type ResolvedSession,
  type SessionDeps,
} from "./sessions.service.js";
export {
  clearBrowserAttempts,
  findTrustedBrowser,
  forgetTrustedBrowsersOfStaff,
  reserveBrowserAttempt,
  trustBrowser,
  type TrustedBrowser,
} from "./trusted-browsers.js";
