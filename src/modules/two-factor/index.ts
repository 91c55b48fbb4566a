export { RECOVERY_CODE_COUNT, hashRecoveryCode, newRecoveryCode, normalizeRecoveryCode } from "./recovery-codes.js";
export {
  PENDING_SIGN_IN_SECONDS,
  consumePendingSignIn,
  createPendingSignIn,
  findPendingSignIn,
  setPendingChallenge,
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
export { TOTP_PERIOD_SECONDS, matchTotpStep, totpCode } from "./totp.js";
export {
  deletePendingSignInsOfStaff,
  listPasskeys,
  twoFactorSummaries,
  twoFactorSummary,
  type TwoFactorSummary,
} from "./two-factor.repository.js";
export type { PasskeyRow, PendingSignInRow, TotpFactorRow } from "./two-factor.table.js";
