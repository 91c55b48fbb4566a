export { addStaffMember, type AddStaffMemberInput } from "./add-staff-member.js";
export { changeOwnPassword, type ChangeOwnPasswordInput } from "./change-own-password.js";
export type { AccountContext, CredentialsDeps, RequestContext } from "./credentials.deps.js";
export {
  evaluateNewPassword,
  hashAcceptablePassword,
  storeNewPassword,
  type StoreNewPasswordInput,
} from "./new-password.js";
export {
  OWASP_ARGON2ID,
  createPasswordHasher,
  type Argon2Parameters,
  type PasswordHasher,
  type PasswordHasherOptions,
} from "./password-hasher.js";
export { MAX_CONSECUTIVE_FAILURES, attemptKey, clearAttempts, isLocked } from "../throttling/index.js";
export { UNLOCK_LINK_LIFETIME_SECONDS, unlockLinkIfLocked } from "./login-lockout.js";
export { attemptPassword, type AttemptOutcome, type PasswordAttempt } from "./password-attempt.js";
export { LOCKED_MESSAGE, proveCurrentPassword, type ProvingSession } from "./prove-password.js";
export { clearPersonDelays, isPersonSlowedDown, personLoginSubjects } from "./person-delays.js";
export { reauthenticate } from "./reauthenticate.js";
export { signIn, type SignInBrowser, type SignInInput, type SignInResult } from "./sign-in.js";
export { signOut } from "./sign-out.js";
export { setStaffPassword, type SetStaffPasswordInput } from "./set-staff-password.js";
