export {
  consumeResetToken,
  countResetTokensSince,
  findUsableResetToken,
  issueResetToken,
  revokeResetTokensOfStaff,
  type IssuedResetToken,
} from "./reset-tokens.repository.js";
export type { ResetChannel, ResetPurpose } from "./reset-tokens.table.js";
