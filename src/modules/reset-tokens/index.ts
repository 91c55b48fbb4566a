export {
  businessOfResetToken,
  consumeResetToken,
  countForgotPasswordLinksSince,
  countResetTokensSince,
  findUsableResetToken,
  issueResetToken,
  revokeResetTokensOfStaff,
} from "./reset-tokens.repository.js";
export {
  businessOfStaffToken,
  consumeStaffToken,
  findUsableStaffToken,
  issueStaffToken,
  revokeStaffTokens,
} from "./staff-tokens.repository.js";
export type { StaffTokenPurpose } from "./staff-tokens.table.js";
