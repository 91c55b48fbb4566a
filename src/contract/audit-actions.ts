/**
 * The audit log's vocabulary, declared once for the server and the web UI (STYLE.md, "one
 * contract, two ends"): every action the server may write, with its name in the "What happened"
 * filter and a plain sentence, and every detail it may carry, with words for its codes. The
 * audit writer accepts only `AuditAction`s (a type error otherwise), and
 * `missingAuditWords` lets tests fail on a detail or code written without words.
 *
 * No imports: the UI bundles this file as it is.
 */

export const AUDIT_GROUPS = {
  sign_in: "Signing in",
  two_factor: "Two-step sign-in",
  passwords: "Passwords and reset links",
  staff: "Staff",
  business: "Business and settings",
  messages: "SMS credits and messages",
  support: "Vendor support",
  apps: "Apps that sign in with Staffgate",
  refusals: "Refused actions",
} as const;

export type AuditGroup = keyof typeof AUDIT_GROUPS;

export interface AuditActionText {
  /** The action's name in the "What happened" filter. */
  readonly name: string;
  /** What happened, as a sentence, when the details add nothing more specific. */
  readonly sentence: string;
  readonly group: AuditGroup;
  /** Detail keys that hold a person's own words in this action (never codes to translate). */
  readonly text?: readonly string[];
}

/** Every action the server writes, in the order a manager thinks about them. */
export const AUDIT_ACTIONS = {
  "auth.signed_in": { name: "Signed in", sentence: "Signed in", group: "sign_in" },
  "auth.second_factor_required": {
    name: "Password right, second step asked for",
    sentence: "Entered the right password; asked for the second step",
    group: "sign_in",
  },
  "auth.sign_in_failed": { name: "Sign-in failed", sentence: "Sign-in failed", group: "sign_in" },
  "auth.signed_out": { name: "Signed out", sentence: "Signed out", group: "sign_in" },
  "auth.sign_in_throttled": {
    name: "Sign-in attempts slowed down",
    sentence: "Refused a sign-in attempt: too many wrong passwords",
    group: "sign_in",
  },
  "auth.login_locked": {
    name: "Sign-in locked after 100 wrong passwords",
    sentence: "Locked a sign-in after 100 wrong passwords in a row",
    group: "sign_in",
  },
  "auth.login_unlocked": {
    name: "Sign-in unlocked with an emailed link",
    sentence: "Unlocked their sign-in with the emailed unlock link",
    group: "sign_in",
  },
  "auth.reauthenticated": {
    name: "Confirmed it's them for a sensitive change",
    sentence: "Confirmed it's them for a sensitive change",
    group: "sign_in",
  },
  "auth.reauthentication_failed": {
    name: "Password confirmation failed",
    sentence: "Tried to confirm their password, but it was wrong",
    group: "sign_in",
  },
  "two_factor.totp_enrolled": {
    name: "Authenticator app set up",
    sentence: "Set up an authenticator app for two-step sign-in",
    group: "two_factor",
  },
  "two_factor.totp_removed": {
    name: "Authenticator app removed",
    sentence: "Removed their authenticator app from two-step sign-in",
    group: "two_factor",
  },
  "two_factor.passkey_added": {
    name: "Passkey added",
    sentence: "Added a passkey",
    group: "two_factor",
    text: ["name"],
  },
  "two_factor.passkey_removed": {
    name: "Passkey removed",
    sentence: "Removed a passkey",
    group: "two_factor",
    text: ["name"],
  },
  "two_factor.passkey_renamed": {
    name: "Passkey renamed",
    sentence: "Renamed a passkey",
    group: "two_factor",
    text: ["from", "to"],
  },
  "two_factor.recovery_codes_regenerated": {
    name: "New recovery codes made",
    sentence: "Made new recovery codes; the old ones stopped working",
    group: "two_factor",
  },
  "two_factor.recovery_code_used": {
    name: "Recovery code used",
    sentence: "Used a recovery code",
    group: "two_factor",
  },
  "two_factor.failed": {
    name: "Wrong second-step code",
    sentence: "Entered a wrong second-step code",
    group: "two_factor",
  },
  "two_factor.throttled": {
    name: "Second-step attempts slowed down",
    sentence: "Refused a second-step code: too many wrong codes",
    group: "two_factor",
  },
  "two_factor.reset": {
    name: "Two-step sign-in reset (lost phone)",
    sentence: "Reset someone's two-step sign-in",
    group: "two_factor",
  },
  "password.changed": { name: "Password changed", sentence: "Changed a password", group: "passwords" },
  "password.change_failed": {
    name: "Password change failed",
    sentence: "Tried to change their own password, but the current password was wrong",
    group: "passwords",
  },
  "password_reset.link_sent": {
    name: "Reset link sent by an admin",
    sentence: "Sent a password reset link",
    group: "passwords",
  },
  "password_reset.requested": {
    name: "Reset link requested (Forgot password)",
    sentence: "A password reset link was requested (Forgot password)",
    group: "passwords",
  },
  "password_reset.completed": {
    name: "Password reset with a link",
    sentence: "Set a new password with a reset link",
    group: "passwords",
  },
  "password_reset.owner_notice_sent": {
    name: "Owner notified instead of a reset link",
    sentence:
      "Forgot password was used for the Business Owner: sent them a notice with the support contact instead of a link",
    group: "passwords",
  },
  "staff.created": { name: "Staff added", sentence: "Added a staff member", group: "staff" },
  "staff.updated": { name: "Staff details changed", sentence: "Changed a staff member's details", group: "staff" },
  "staff.email_verified": {
    name: "Email address confirmed",
    sentence: "Confirmed their email address",
    group: "staff",
  },
  "staff.status_changed": {
    name: "Staff made active or inactive",
    sentence: "Changed a staff member's status",
    group: "staff",
  },
  "staff.permissions_changed": { name: "Permissions changed", sentence: "Changed permissions", group: "staff" },
  "settings.changed": { name: "Settings changed", sentence: "Changed settings", group: "business" },
  "account.created": { name: "Business account created", sentence: "Created the business account", group: "business" },
  "account.ownership_details_changed": {
    name: "Ownership details changed",
    sentence: "Changed the ownership details that vendor support checks",
    group: "business",
  },
  "sms_credits.granted": {
    name: "SMS credits added",
    sentence: "Added SMS credits",
    group: "messages",
    text: ["reason"],
  },
  "sms_credits.debited": {
    name: "SMS credit used",
    sentence: "Used 1 SMS credit",
    group: "messages",
    text: ["reason"],
  },
  "sms_credits.refunded": {
    name: "SMS credit refunded",
    sentence: "Refunded 1 SMS credit because a text message wasn't delivered",
    group: "messages",
  },
  "message.delivery_failed": {
    name: "Message not delivered",
    sentence: "A message couldn't be delivered and was given up",
    group: "messages",
  },
  "message.delivery_uncertain": {
    name: "Text message awaiting confirmation",
    sentence: "A message got no answer from the provider; checking whether it arrived (it won't be sent twice)",
    group: "messages",
  },
  "message.delivery_confirmed": {
    name: "Text message confirmed delivered",
    sentence: "The provider confirmed that a message which got no answer was sent",
    group: "messages",
  },
  "message.delivery_unconfirmed": {
    name: "Text message delivery unknown",
    sentence: "Couldn't learn whether a message arrived; it wasn't sent again",
    group: "messages",
  },
  "support.account_viewed": {
    name: "Support looked at the business",
    sentence: "Looked at this business in the vendor support console",
    group: "support",
  },
  "support.recovery_case_opened": {
    name: "Owner recovery case opened",
    sentence: "Opened a case to recover the Business Owner's sign-in",
    group: "support",
  },
  "support.recovery_flagged": {
    name: "Owner recovery flagged",
    sentence: "Flagged this business: too many failed owner recovery cases today",
    group: "support",
  },
  "support.recovery_throttled": {
    name: "Owner recovery refused for today",
    sentence: "Refused a new owner recovery case: too many failed cases for this business today",
    group: "support",
  },
  "support.recovery_case_approved": {
    name: "Owner recovery approved",
    sentence: "Approved an owner recovery case (second agent)",
    group: "support",
  },
  "support.recovery_case_escalated": {
    name: "Owner recovery sent to a supervisor",
    sentence: "Asked a support supervisor to decide an owner recovery case",
    group: "support",
  },
  "support.recovery_case_supervisor_approved": {
    name: "Owner recovery approved by a supervisor",
    sentence: "A support supervisor approved an owner recovery case",
    group: "support",
  },
  "support.recovery_case_closed": {
    name: "Owner recovery closed by a supervisor",
    sentence: "A support supervisor closed an owner recovery case without recovering the owner",
    group: "support",
  },
  "support.owner_recovered": {
    name: "Business Owner recovered",
    sentence: "Recovered the Business Owner's sign-in",
    group: "support",
  },
  // Events of the support agents themselves (the vendor's own log, not a business's).
  "support.agent_created": { name: "Support agent added", sentence: "Added a support agent", group: "support" },
  "support.agent_supervisor_changed": {
    name: "Support supervisor role changed",
    sentence: "Changed whether a support agent is a supervisor",
    group: "support",
  },
  "support.password_verified": {
    name: "Support agent entered their password",
    sentence: "A support agent entered the right password; the second step follows",
    group: "support",
  },
  "support.signed_in": { name: "Support agent signed in", sentence: "A support agent signed in", group: "support" },
  "support.sign_in_failed": {
    name: "Support agent sign-in failed",
    sentence: "A support agent's sign-in failed",
    group: "support",
  },
  "support.agent_locked": {
    name: "Support agent locked",
    sentence: "Locked a support agent's sign-in after too many failures",
    group: "support",
  },
  "support.agent_unlocked": {
    name: "Support agent unlocked",
    sentence: "Lifted a support agent's lock",
    group: "support",
  },
  "support.two_factor_enrolled": {
    name: "Support agent set up an authenticator app",
    sentence: "A support agent set up an authenticator app",
    group: "support",
  },
  "support.two_factor_reset": {
    name: "Support agent's authenticator app removed",
    sentence: "Removed a support agent's authenticator app (lost phone)",
    group: "support",
  },
  "support.signed_out": { name: "Support agent signed out", sentence: "A support agent signed out", group: "support" },
  // Apps of the vendor that sign people in through Staffgate (OpenID Connect).
  "oidc.signed_in": {
    name: "Signed in to an app with Staffgate",
    sentence: "Signed in to an app with their Office Portal sign-in",
    group: "apps",
    text: ["app"],
  },
  "oidc_client.created": {
    name: "App registered",
    sentence: "Registered an app that signs in with Staffgate",
    group: "apps",
    text: ["name"],
  },
  "oidc_client.deleted": {
    name: "App removed",
    sentence: "Removed an app that signed in with Staffgate",
    group: "apps",
  },
  "access.refused": {
    name: "Action refused",
    sentence: "Was refused an action",
    group: "refusals",
    text: ["what", "reason"],
  },
} as const satisfies Record<string, AuditActionText>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export function isAuditAction(value: string): value is AuditAction {
  return Object.hasOwn(AUDIT_ACTIONS, value);
}

/**
 * How a detail's value reads:
 * - `code`: a string (or {from, to}, or a list) from the server's vocabulary, shown through `AUDIT_DETAIL_CODES`;
 * - `fields`: a list of detail keys (which facts changed), shown by their labels;
 * - `group`: an object whose own keys are details (a person's changes, the checks of a case);
 * - `permissions`: permission keys, shown by the catalogue's labels;
 * - the others are shown as they are (`time` in the reader's time zone, `flag` as yes / no).
 */
export type AuditDetailKind = "text" | "number" | "flag" | "time" | "code" | "fields" | "group" | "permissions";

export interface AuditDetailKey {
  readonly label: string;
  readonly kind: AuditDetailKind;
  /** For a group whose values are all codes (a case's answers: match, mismatch, …). */
  readonly values?: "code";
}

/** Every key a detail may have, at any depth, with its label in the "Details" list. */
export const AUDIT_DETAIL_KEYS = {
  // Who and what
  username: { label: "Username", kind: "text" },
  first_name: { label: "First name", kind: "text" },
  firstName: { label: "First name", kind: "text" },
  last_name: { label: "Last name", kind: "text" },
  lastName: { label: "Last name", kind: "text" },
  email: { label: "Email", kind: "text" },
  mobile_phone: { label: "Mobile phone", kind: "text" },
  mobilePhone: { label: "Mobile phone", kind: "text" },
  sms_opt_in: { label: "Can receive text messages", kind: "flag" },
  smsOptIn: { label: "Can receive text messages", kind: "flag" },
  status: { label: "Status", kind: "code" },
  name: { label: "Name", kind: "text" },
  slug: { label: "Business address", kind: "text" },
  changes: { label: "Changes", kind: "group" },
  changed: { label: "Changed", kind: "fields" },
  pendingEmail: { label: "Email waiting for confirmation", kind: "text" },
  pendingEmailWithdrawn: { label: "Email no longer waiting for confirmation", kind: "text" },
  adminFullAccess: { label: "Admin Access (Full Permissions)", kind: "flag" },
  permissions: { label: "Permissions", kind: "permissions" },
  from: { label: "Before", kind: "text" },
  to: { label: "After", kind: "text" },
  // Settings and ownership details
  passwordMinLength: { label: "Minimum password length", kind: "number" },
  smsVoiceEnabled: { label: "SMS/Voice messaging", kind: "flag" },
  country: { label: "Country", kind: "text" },
  smsAllowedCountries: { label: "Countries texts may go to", kind: "text" },
  requireTwoFactor: { label: "Two-step sign-in required for everyone", kind: "flag" },
  billingPostalCode: { label: "Billing postal code", kind: "text" },
  cardLast4: { label: "Last 4 digits of the card", kind: "text" },
  businessPhone: { label: "Business phone", kind: "text" },
  ownerFullName: { label: "Owner's full name", kind: "text" },
  oneTimePassword: { label: "One-time password given", kind: "flag" },
  // Signing in and passwords
  method: { label: "How", kind: "code" },
  methods: { label: "Ways", kind: "code" },
  reason: { label: "Why", kind: "code" },
  staySignedIn: { label: "Stay signed in", kind: "flag" },
  trustedBrowser: { label: "From a browser they signed in with before", kind: "flag" },
  rehashed: { label: "Password storage updated", kind: "flag" },
  enrollmentRequired: { label: "Must set up two-step sign-in", kind: "flag" },
  retryAfterSeconds: { label: "Wait (seconds)", kind: "number" },
  emailsSent: { label: "Emails sent", kind: "number" },
  mustChangeAtNextLogin: { label: "Must choose a new password at next sign-in", kind: "flag" },
  sessionsEnded: { label: "Sessions signed out", kind: "number" },
  resetLinksEnded: { label: "Reset links cancelled", kind: "number" },
  passkeysRemoved: { label: "Passkeys removed", kind: "number" },
  passwordless: { label: "Without a password", kind: "flag" },
  count: { label: "Times within the minute", kind: "number" },
  // Two-step sign-in
  recoveryCodes: { label: "Recovery codes", kind: "number" },
  recoveryCodesLeft: { label: "Recovery codes left", kind: "number" },
  removed: { label: "Removed", kind: "group" },
  totp: { label: "Authenticator app", kind: "number" },
  passkeys: { label: "Passkeys", kind: "number" },
  // Reset links and messages
  channel: { label: "Sent by", kind: "code" },
  purpose: { label: "Kind of link", kind: "code" },
  sentTo: { label: "Sent to", kind: "text" },
  expiresAt: { label: "Link expires", kind: "time" },
  unlockLink: { label: "With an unlock link", kind: "flag" },
  creditsUsed: { label: "SMS credits used", kind: "number" },
  creditsRemaining: { label: "SMS credits left", kind: "number" },
  change: { label: "Change", kind: "number" },
  balanceAfter: { label: "Credits left", kind: "number" },
  messageId: { label: "Message", kind: "text" },
  template: { label: "Message", kind: "code" },
  attempts: { label: "Attempts", kind: "number" },
  lastError: { label: "Last error", kind: "text" },
  providerMessageId: { label: "Provider's message id", kind: "text" },
  uncertainSince: { label: "Waiting for an answer since", kind: "time" },
  // Apps (OpenID Connect)
  clientId: { label: "App id", kind: "text" },
  app: { label: "App", kind: "text" },
  public: { label: "Public app (no secret)", kind: "flag" },
  // Refusals
  code: { label: "Why", kind: "code" },
  what: { label: "What was tried", kind: "text" },
  // Vendor support
  caseId: { label: "Support case", kind: "text" },
  callerName: { label: "Caller", kind: "text" },
  checks: { label: "Answers", kind: "group", values: "code" },
  failedCasesToday: { label: "Failed cases today", kind: "number" },
  openedBy: { label: "Opened by", kind: "text" },
  approvedBy: { label: "Approved by", kind: "text" },
  escalatedBy: { label: "Sent to a supervisor by", kind: "text" },
  delivery: { label: "How the owner got back in", kind: "code" },
  decision: { label: "Decision", kind: "code" },
  note: { label: "Note", kind: "text" },
  supervisor: { label: "Supervisor", kind: "flag" },
  failures: { label: "Failed sign-ins in a row", kind: "number" },
  next: { label: "Next step", kind: "code" },
} as const satisfies Record<string, AuditDetailKey>;

export type AuditDetailKeyName = keyof typeof AUDIT_DETAIL_KEYS;

/** Words for every code a detail may hold (`kind: "code"`). */
export const AUDIT_DETAIL_CODES: Readonly<Record<string, string>> = {
  // Ways of proving it's you (RFC 8176 `amr`, and second-step kinds)
  pwd: "password",
  password: "password",
  otp: "authenticator code",
  totp: "authenticator app",
  recovery_code: "recovery code",
  hwk: "passkey",
  swk: "passkey",
  passkey: "passkey",
  unlock_link: "the emailed unlock link",
  // Why a sign-in or a check failed
  wrong_password: "wrong password",
  unknown_login: "unknown username or email",
  no_password: "no password set yet",
  inactive: "inactive",
  locked: "locked after too many wrong tries",
  changed_during_sign_in: "the person was changed during the sign-in",
  current_password_incorrect: "the current password was wrong",
  no_challenge: "the passkey window timed out",
  unknown_passkey: "a passkey that isn't registered here",
  user_handle_mismatch: "a passkey of someone else",
  signature: "the passkey's signature didn't check out",
  not_verified: "the passkey didn't check out",
  // Refusals
  forbidden: "no permission",
  owner_protected: "only the Business Owner may do this",
  // How a password was set
  self: "changed by themselves",
  forced_change: "chosen after signing in with a temporary one",
  self_from_staff_page: "changed by themselves on the STAFF page",
  admin: "set by an admin",
  reset_link: "with a reset link",
  support_temporary_password: "a temporary password from vendor support",
  cli: "set on the command line",
  // Links, channels and messages
  email: "email",
  sms: "SMS",
  forgot_password: "Forgot password",
  admin_reset: "sent by an admin",
  owner_recovery: "vendor support's owner recovery",
  password_reset: "password reset link",
  password_reset_sms: "password reset link by SMS",
  password_changed: "“your password was changed” notice",
  owner_reset_notice: "notice to the Business Owner to call vendor support",
  owner_recovered_notice: "notice that vendor support recovered the Business Owner",
  login_locked: "“your sign-in is locked” notice with an unlock link",
  login_locked_admin: "notice to admins about a locked sign-in",
  email_verification: "email confirmation link",
  email_change_pending: "notice of a pending email change",
  email_changed: "notice of a changed email",
  two_factor_changed: "notice of a two-step sign-in change",
  two_factor_reset_admin: "notice to admins of a two-step sign-in reset",
  refused: "refused by the provider",
  not_accepted: "not accepted by the provider",
  unconfirmed: "never confirmed by the provider",
  // Staff status
  active: "active",
  // Vendor support
  match: "matches",
  mismatch: "does not match",
  not_provided: "not given, or not on file",
  verified: "verified",
  unverified: "not verified",
  rejected: "rejected",
  approved: "approved",
  needs_supervisor: "waiting for a supervisor",
  closed: "closed by a supervisor",
  completed: "completed",
  temporary_password: "a temporary password",
  two_factor_reset: "two-step sign-in removed (lost phone)",
  approve: "approved",
  close: "closed",
  second_factor: "the authenticator code",
  enrolment: "setting up an authenticator app",
};

/** What a code looks like: lower-case words joined by underscores (`temporary_password`). */
const CODE_PATTERN = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isFromTo(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys.length === 2 && keys.includes("from") && keys.includes("to");
}

/**
 * What of an event has no words: an unknown action, a detail key without a label, a code without
 * words. Empty when the event reads in plain words (tests hold every event to it).
 */
export function missingAuditWords(action: string, details: unknown): string[] {
  if (!isAuditAction(action)) return [`action "${action}"`];
  const text: readonly string[] = (AUDIT_ACTIONS[action] as AuditActionText).text ?? [];
  const missing: string[] = [];
  const checkCode = (path: string, value: unknown): void => {
    if (Array.isArray(value)) return value.forEach((item) => checkCode(path, item));
    if (isRecord(value) && isFromTo(value)) return [value.from, value.to].forEach((item) => checkCode(path, item));
    // A sentence (a provider's answer, an error message) is shown as it is; a code needs words.
    if (typeof value === "string" && CODE_PATTERN.test(value) && !Object.hasOwn(AUDIT_DETAIL_CODES, value)) {
      missing.push(`code "${value}" of ${path}`);
    }
  };
  const walk = (prefix: string, object: Record<string, unknown>, top: boolean, codes = false): void => {
    for (const [key, value] of Object.entries(object)) {
      const path = `${action} ${prefix}${key}`;
      if (!Object.hasOwn(AUDIT_DETAIL_KEYS, key)) {
        missing.push(`detail "${prefix}${key}" of ${action}`);
        continue;
      }
      if (top && text.includes(key)) continue;
      const { kind, values } = AUDIT_DETAIL_KEYS[key as AuditDetailKeyName] as AuditDetailKey;
      if (kind === "group" && isRecord(value)) walk(`${prefix}${key}.`, value, false, values === "code");
      else if (kind === "code" || codes) checkCode(path, value);
      else if (kind === "fields" && Array.isArray(value)) {
        for (const field of value) {
          if (typeof field !== "string" || !Object.hasOwn(AUDIT_DETAIL_KEYS, field)) {
            missing.push(`field "${String(field)}" of ${path}`);
          }
        }
      }
    }
  };
  if (isRecord(details)) walk("", details, true);
  return missing;
}
