export { DEFAULT_INDEX_PATH, buildIndexFile, loadIndexFile, readSourceList } from "./common-password-index.js";
export {
  ABSOLUTE_MIN_LENGTH,
  MAX_CONFIGURABLE_MIN_LENGTH,
  evaluatePassword,
  foldForComparison,
  policyFor,
  type CommonPasswordList,
  type PasswordEvaluation,
  type PasswordPolicy,
  type PasswordRejectionReason,
} from "./password-policy.js";
