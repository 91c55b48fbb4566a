export {
  PENDING_SIGN_IN_SECONDS,
  consumePendingSignIn,
  createPendingSignIn,
  deleteExpiredPendingSignIns,
  findPendingSignIn,
} from "./pending-sign-ins.js";
export {
  checkSecondFactor,
  secondFactorCapSubject,
  type SecondFactorDeps,
  type SecondFactorInput,
} from "./second-factor.js";
export {
  beginTotp,
  confirmTotp,
  confirmTotpEnrolment,
  regenerateRecoveryCodes,
  removeAllSecondFactors,
  removeOwnTotp,
  requireMayResetTwoFactor,
  startTotpEnrolment,
  type FactorOwner,
  type TotpEnrolment,
} from "./manage-two-factor.js";
export {
  listOwnPasskeys,
  registerPasskey,
  removeOwnPasskey,
  renameOwnPasskey,
  startPasskeyRegistration,
} from "./manage-passkeys.js";
export {
  putPendingChallenge,
  putSessionChallenge,
  storedChallenge,
  takePendingChallenge,
  takeSessionChallenge,
} from "./passkey-challenges.js";
export {
  checkPasskey,
  passkeyRequestOptions,
  type AuthenticationResponseJSON,
  type PasskeyRequestOptions,
  type RegistrationResponseJSON,
} from "./passkeys.js";
export { TOTP_PERIOD_SECONDS, totpCode } from "./totp.js";
export {
  deletePasskeysOfStaff,
  deletePendingSignInsOfStaff,
  deleteTotpFactor,
  findTotpFactor,
  listPasskeys,
  twoFactorSummaries,
  twoFactorSummary,
  type TwoFactorSummary,
} from "./two-factor.repository.js";
export type { PendingSignInRow } from "./two-factor.table.js";
