/**
 * The one catalogue of error codes (API.md, "Conventions"). Domain code throws `DomainError`
 * with one of these codes; the HTTP layer maps the code to its status in one place.
 */

export const errorCatalogue = {
  validation_failed: { status: 400, message: "Some fields are missing or not valid." },
  csrf_rejected: { status: 403, message: "This request did not come from the Staffgate site." },
  unauthenticated: { status: 401, message: "Please sign in." },
  invalid_credentials: { status: 401, message: "The username/email or password is incorrect." },
  too_many_attempts: { status: 429, message: "Too many attempts. Please wait and try again." },
  password_change_required: {
    status: 403,
    message: "You must choose a new password before continuing.",
  },
  invalid_second_factor: { status: 401, message: "That code didn't work. Check it and try again." },
  reauthentication_required: {
    status: 401,
    message: "For your security, confirm your password to continue.",
  },
  forbidden: { status: 403, message: "You do not have permission to do that." },
  owner_protected: { status: 403, message: "Only the Business Owner can change the Business Owner." },
  not_found: { status: 404, message: "Not found." },
  conflict: { status: 409, message: "That conflicts with existing data." },
  password_rejected: { status: 422, message: "Choose a different password." },
  username_too_similar: {
    status: 422,
    message: "That username looks too much like another staff member's. Choose one that looks different.",
  },
  passwords_do_not_match: { status: 422, message: "The two passwords do not match." },
  current_password_incorrect: { status: 422, message: "The current password is incorrect." },
  reset_link_invalid: {
    status: 410,
    message: "This reset link is no longer valid. Please request a new one.",
  },
  verification_link_invalid: {
    status: 410,
    message: "This verification link is no longer valid. Change the email again to get a new one.",
  },
  unlock_link_invalid: {
    status: 410,
    message: "This unlock link is no longer valid. Ask for a new one from the sign-in page's “Forgot password?”.",
  },
  two_factor_required: {
    status: 409,
    message: "This business requires two-factor sign-in: keep at least one second factor.",
  },
  sms_disabled: { status: 409, message: "SMS/Voice messaging is turned off for this business." },
  sms_unavailable: {
    status: 409,
    message: "Text messages can't be sent from this Staffgate installation: no SMS provider is configured.",
  },
  no_sms_phone: { status: 422, message: "This staff member has no mobile number that accepts texts." },
  no_email: { status: 422, message: "This staff member has no primary email." },
  staff_inactive: { status: 409, message: "This staff member is inactive. Make them active first." },
  insufficient_sms_credits: { status: 402, message: "There are no SMS credits left." },
  sms_destination_not_allowed: {
    status: 422,
    message:
      "Texts can't be sent to this number: only mobile numbers in the countries allowed in Settings can receive them. Nothing was charged.",
  },
  method_not_allowed: { status: 405, message: "This address doesn't accept that method." },
  payload_too_large: { status: 413, message: "The request is too large." },
  unsupported_media_type: { status: 415, message: "Send the request body as JSON (Content-Type: application/json)." },
  overloaded: { status: 503, message: "Staffgate is busy. Please try again in a moment." },
  internal_error: { status: 500, message: "Something went wrong on our side. Please try again." },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = errorCatalogue[code].message,
    readonly details?: Readonly<Record<string, unknown>>,
    /** Seconds a client should wait before retrying (429, 503). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "DomainError";
  }
}
