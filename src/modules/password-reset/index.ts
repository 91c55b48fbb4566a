export { EMAIL_LINK_LIFETIME_SECONDS, resetLink } from "./password-reset.deps.js";
export { processResetRequest, type ResetRequest } from "./request-reset.js";
