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
export { MAX_CONSECUTIVE_FAILURES, oneAtATime, signIn, type SignInInput, type SignInResult } from "./sign-in.js";
export { signOut } from "./sign-out.js";
export { setStaffPassword } from "./set-staff-password.js";
