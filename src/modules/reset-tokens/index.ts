export {
  businessOfResetToken,
  consumeResetToken,
  countForgotPasswordLinksSince,
  countResetTokensSince,
  findUsableResetToken,
  issueResetToken,
  revokeResetTokensOfStaff,
  type IssuedResetToken,
} from "./reset-tokens.repository.js";
export type { ResetChannel, ResetPurpose } from "./reset-tokens.table.js";
export {
  businessOfStaffToken,
  consumeStaffToken,
  findUsableStaffToken,
  issueStaffToken,
  revokeStaffTokens,
} from "./staff-tokens.repository.js";
export type { StaffTokenPurpose } from "./staff-tokens.table.js";
