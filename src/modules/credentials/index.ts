export type { AccountContext, CredentialsDeps, RequestContext } from "./credentials.deps.js";
export { evaluateNewPassword, hashAcceptablePassword, storeNewPassword } from "./new-password.js";
export {
  OWASP_ARGON2ID,
  createPasswordHasher,
  type PasswordHasher,
  type PasswordHasherOptions,
} from "./password-hasher.js";
export { attemptKey, clearAttempts } from "../throttling/index.js";
export { unlockLinkIfLocked } from "./login-lockout.js";
export { attemptPassword } from "./password-attempt.js";
export { clearPersonDelays, isPersonSlowedDown } from "./person-delays.js";
export { signOut } from "./sign-out.js";
