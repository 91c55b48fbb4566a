export { checkResetPassword, completeReset, lookupReset, type ResetLookup } from "./complete-reset.js";
export {
  EMAIL_LINK_LIFETIME_SECONDS,
  RESET_EMAILS_PER_PERSON_PER_HOUR,
  resetLink,
  type PasswordResetDeps,
} from "./password-reset.deps.js";
export { resetLinkEmail } from "./reset-emails.js";
export { processResetRequest, type ResetRequest, type ResetRequestOutcome } from "./request-reset.js";
export { SMS_LINK_LIFETIME_SECONDS, sendResetLinkByEmail, sendResetLinkBySms } from "./send-reset-link.js";
export { resetLinkSms } from "./reset-sms.js";
