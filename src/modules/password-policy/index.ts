export {
  ABSOLUTE_MIN_LENGTH,
  MAX_CONFIGURABLE_MIN_LENGTH,
  MAX_LENGTH,
  codePointLength,
  evaluatePassword,
  foldForComparison,
  policyFor,
  type CommonPasswordList,
  type PasswordContext,
  type PasswordEvaluation,
  type PasswordPolicy,
  type PasswordRejectionReason,
} from "./password-policy.js";
