export { RECOVERY_CODE_COUNT, hashRecoveryCode, newRecoveryCode, normalizeRecoveryCode } from "./recovery-codes.js";
export {
  PENDING_SIGN_IN_SECONDS,
  consumePendingSignIn,
  createPendingSignIn,
  deleteExpiredPendingSignIns,
  findPendingSignIn,
} from "./pending-sign-ins.js";
export {
  checkSecondFactor,
  clearSecondFactorAttempts,
  secondFactorCapSubject,
  type SecondFactorDeps,
  type SecondFactorInput,
  type SecondFactorMethod,
  type SecondFactorPerson,
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
  type ManageTwoFactorDeps,
  type TotpEnrolment,
} from "./manage-two-factor.js";
export {
  MAX_PASSKEYS_PER_PERSON,
  PASSKEY_NAME_MAX_LENGTH,
  listOwnPasskeys,
  registerPasskey,
  removeOwnPasskey,
  renameOwnPasskey,
  startPasskeyRegistration,
  type ManagePasskeysDeps,
  type PasskeyActor,
  type PasskeyView,
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
  relyingParty,
  type AuthenticationResponseJSON,
  type PasskeyCheck,
  type PasskeyCreationOptions,
  type PasskeyDeps,
  type PasskeyRequestOptions,
  type RegistrationResponseJSON,
  type RelyingParty,
} from "./passkeys.js";
export { TOTP_PERIOD_SECONDS, matchTotpStep, totpCode } from "./totp.js";
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
export type { PasskeyRow, PendingSignInRow, TotpFactorRow } from "./two-factor.table.js";
