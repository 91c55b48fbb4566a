// Client for the Staffgate HTTP API (contract: shared/API.md). Every call is same-origin, sends
// and receives JSON, and turns any non-2xx reply into an ApiError. Callers switch on
// `ApiError.code`, never on the message text.
import type { AuthenticationResponseJSON } from "@simplewebauthn/browser";

export interface Account {
  slug: string;
  name: string;
}

export interface Me {
  id: string;
  username: string;
  firstName: string;
  lastName: string;
  email: string | null;
  mobilePhone: string | null;
  smsOptIn: boolean;
  status: "active" | "inactive";
  isOwner: boolean;
  adminFullAccess: boolean;
  permissions: string[];
  passwordSet: boolean;
  /** A one-time password waits to be replaced at the next sign-in. */
  mustChangePassword: boolean;
  /** A new address the person typed for themselves, waiting for them to open the link sent to it. */
  pendingEmail: string | null;
  /** The email in force has been confirmed by its owner (through a link sent to it). */
  emailVerified: boolean;
  /** The person's second factors (two-step sign-in). */
  twoFactor: TwoFactorSummary;
}

export interface TwoFactorSummary {
  /** An authenticator app is set up (confirmed with a first code). */
  totp: boolean;
  passkeys: number;
  recoveryCodesLeft: number;
}

export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
}

export interface SignInResult {
  staff: Me;
  passwordChangeRequired: boolean;
}

/** What a second step of sign-in may use; unknown kinds from a newer server are passed through. */
export type SecondFactorKind = "totp" | "recovery_code" | "passkey" | (string & {});

/**
 * The password was right and a second step is due; a pending-sign-in cookie (5 minutes, good for
 * nothing else) stands in for the session until it is done (two-factor/twoFactorApi.ts).
 */
export interface SecondFactorRequired {
  secondFactorRequired: true;
  methods: SecondFactorKind[];
  /** The business requires two-step sign-in and the person has no second factor yet: set one up now. */
  enrollmentRequired: boolean;
}

export function isSecondFactorRequired(answer: SignInResult | SecondFactorRequired): answer is SecondFactorRequired {
  return "secondFactorRequired" in answer && answer.secondFactorRequired;
}

/** A re-authentication (sudo mode): the password, or a second factor where the person has one. */
export type ReauthenticationProof =
  | { password: string }
  | { totpCode: string }
  | { recoveryCode: string }
  /** A passkey's answer to `POST …/session/passkey-options` made with this session. */
  | { passkey: AuthenticationResponseJSON };

export type PasswordRejectionReason =
  | "too_short"
  | "too_long"
  | "common_password"
  | "contains_personal_info"
  | "invalid_characters"
  /** Only where the current password was given too (own change, own password on the STAFF page). */
  | "same_as_current";

/** The advisory answer of a password check (`POST …/password-check`); the server re-checks on submit. */
export interface PasswordCheckResult {
  ok: boolean;
  /** Unknown reasons from a newer server are passed through; the UI ignores what it doesn't know. */
  reasons: string[];
  policy?: PasswordPolicy;
}

/** What a reset link is for (`POST /api/password-resets/lookup`); opening it changes nothing. */
export interface ResetLinkInfo {
  account: Account;
  username: string;
  /** ISO 8601. */
  expiresAt: string;
  policy: PasswordPolicy;
}

/** What an unlock link unlocked (`POST /api/login-unlocks/complete`). */
export interface UnlockResult {
  account: Account;
  username: string;
}

export interface AccountSettings {
  name: string;
  smsVoiceEnabled: boolean;
  smsCredits: number;
  passwordMinLength: number;
  /** False when this installation can't send texts at all (production without an SMS provider). */
  smsAvailable: boolean;
  /** Everyone signs in with a second step; those without one set it up at their next sign-in. */
  requireTwoFactor: boolean;
}

export interface SettingsChanges {
  smsVoiceEnabled?: boolean;
  passwordMinLength?: number;
  /** Sudo mode: send it only when it changes. */
  requireTwoFactor?: boolean;
}

/** A staff member as the STAFF page sees them (same shape as Me). */
export type Staff = Me;

export type StaffStatusFilter = "active" | "inactive" | "all";

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** One entry of the permission catalogue (`GET /api/permissions`). */
export interface Permission {
  key: string;
  label: string;
  description: string;
}

export interface NewStaff {
  username: string;
  firstName: string;
  lastName: string;
  email?: string | null;
  mobilePhone?: string | null;
  smsOptIn?: boolean;
  /** Admin Access (sudo mode): a first password, in the same step. */
  password?: string;
  mustChangeAtNextLogin?: boolean;
  /** Admin Access (sudo mode for a grant): permissions, in the same step. */
  adminFullAccess?: boolean;
  permissions?: string[];
}

/** A person on the STAFF list: as everywhere, plus when they last signed in. */
export interface StaffListItem extends Staff {
  /** ISO 8601; null when they never signed in (as far as the audit log knows). */
  lastSignedInAt: string | null;
}

/** The STAFF list's order: by last then first name, A to Z or Z to A. */
export type StaffSort = "name" | "-name";

export interface StaffChanges {
  username?: string;
  firstName?: string;
  lastName?: string;
  /** null clears it. */
  email?: string | null;
  /** null clears it. */
  mobilePhone?: string | null;
  smsOptIn?: boolean;
  status?: "active" | "inactive";
}

export interface ResetLinkSent {
  /** Masked by the server, e.g. "j•••@example.com" or "(•••) •••-1234". */
  sentTo: string;
  /** SMS only. */
  smsCreditsRemaining?: number;
}

export interface AuditParty {
  type: string;
  id: string | null;
  name: string | null;
}

export type AuditSource = "office_portal" | "support" | "system";

export interface AuditEvent {
  id: string;
  /** ISO 8601. */
  at: string;
  source: AuditSource | (string & {});
  actor: AuditParty | null;
  action: string;
  target: AuditParty | null;
  ip: string | null;
  details: Record<string, unknown>;
}

export interface AuditQuery {
  action?: string;
  staffId?: string;
  /** ISO 8601, inclusive. */
  from?: string;
  /** ISO 8601, exclusive. */
  to?: string;
  limit?: number;
  cursor?: string;
}

export interface SmsLedgerEntry {
  id: string;
  /** ISO 8601. */
  at: string;
  kind: "grant" | "debit" | "refund" | (string & {});
  change: number;
  balance: number;
  reason: string;
  staffId?: string;
  by: string | null;
}

/**
 * A sensitive action needs a recent sign-in or re-authentication ("sudo mode"): the UI asks for
 * the password in place (sudo/SudoProvider.tsx). Unlike `unauthenticated`, the session is fine.
 */
export const REAUTHENTICATION_REQUIRED = "reauthentication_required";

/** Codes the client itself produces when there is no usable error envelope. */
export const NETWORK_ERROR = "network_error";
export const SERVER_ERROR = "server_error";

const GENERIC_NETWORK_MESSAGE = "We couldn't reach Staffgate. Check your connection and try again.";
const GENERIC_SERVER_MESSAGE = "Something went wrong on our side. Please try again in a moment.";

export class ApiError extends Error {
  override readonly name = "ApiError";

  constructor(
    /** HTTP status; 0 when the request never got a response. */
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    /** From the Retry-After header (429, 503), when present. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(header: string | null, now = Date.now()): number | null {
  if (header === null || header.trim() === "") return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  const body = await readJson(response);
  const envelope = isObject(body) && isObject(body.error) ? body.error : null;
  const code =
    envelope && typeof envelope.code === "string"
      ? envelope.code
      : response.status >= 500
        ? SERVER_ERROR
        : `http_${response.status}`;
  // 5xx details are not meant for people; keep the code (e.g. `overloaded`) but not the text.
  const message =
    response.status < 500 && envelope && typeof envelope.message === "string"
      ? envelope.message
      : response.status >= 500
        ? GENERIC_SERVER_MESSAGE
        : `Request failed (${response.status}).`;
  const details = envelope && isObject(envelope.details) ? envelope.details : {};
  const retryAfter = parseRetryAfter(response.headers.get("Retry-After"));
  return new ApiError(response.status, code, message, details, retryAfter);
}

/**
 * Why the server ended this browser's session, from the latest `401 unauthenticated` that said
 * so (`details.reason`), kept for a few seconds: whichever request noticed first, the sign-in
 * page it leads to can say why (session.ts `goToLogin`).
 */
let sessionEnd: { reason: string; at: number } | null = null;
const SESSION_END_MEMORY_MS = 10_000;

function rememberSessionEnd(error: ApiError): void {
  const reason = error.details.reason;
  if (error.status === 401 && error.code === "unauthenticated" && typeof reason === "string") {
    sessionEnd = { reason, at: Date.now() };
  }
}

/** The reason remembered above, once; null when there is none (or it is stale). */
export function takeSessionEndReason(): string | null {
  const remembered = sessionEnd;
  sessionEnd = null;
  return remembered && Date.now() - remembered.at < SESSION_END_MEMORY_MS ? remembered.reason : null;
}

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/** One JSON request; non-2xx answers become an ApiError. Shared by the portal and the support console. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { ...options.headers, Accept: "application/json" };
  const init: RequestInit = {
    method,
    headers,
    credentials: "same-origin",
    cache: "no-store",
  };
  if (options.signal) init.signal = options.signal;
  // Only send a Content-Type with a body: the server rejects an empty JSON body.
  if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(options.body);
  }

  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError(0, NETWORK_ERROR, GENERIC_NETWORK_MESSAGE);
  }

  if (!response.ok) {
    const error = await toApiError(response);
    rememberSessionEnd(error);
    throw error;
  }
  return (await readJson(response)) as T;
}

export function accountPath(slug: string, rest = ""): string {
  return `/api/accounts/${encodeURIComponent(slug)}${rest}`;
}

export function staffPath(slug: string, staffId: string, rest = ""): string {
  return accountPath(slug, `/staff/${encodeURIComponent(staffId)}${rest}`);
}

/** `?a=1&b=2` from the defined, non-empty values; "" when there are none. */
export function queryString(query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== "") params.set(key, String(value));
  }
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}

export const api = {
  getAccount(slug: string, signal?: AbortSignal): Promise<Account> {
    return request("GET", accountPath(slug), { signal });
  },

  getPasswordPolicy(slug: string, signal?: AbortSignal): Promise<PasswordPolicy> {
    return request("GET", accountPath(slug, "/password-policy"), { signal });
  },

  getMe(slug: string, signal?: AbortSignal): Promise<Me> {
    return request("GET", accountPath(slug, "/me"), { signal });
  },

  signIn(
    slug: string,
    body: { login: string; password: string; staySignedIn: boolean },
  ): Promise<SignInResult | SecondFactorRequired> {
    return request("POST", accountPath(slug, "/session"), { body });
  },

  signOut(slug: string): Promise<void> {
    return request("DELETE", accountPath(slug, "/session"));
  },

  changeMyPassword(
    slug: string,
    body: {
      /** Left out by a forced change within 10 minutes of signing in (the server decides). */
      currentPassword?: string;
      newPassword: string;
      newPasswordConfirmation: string;
    },
  ): Promise<void> {
    return request("PUT", accountPath(slug, "/me/password"), { body });
  },

  /**
   * Sudo mode for the next 10 minutes (`204`); `422 current_password_incorrect` (password),
   * `401 invalid_second_factor` (a code); `429`.
   */
  reauthenticate(slug: string, proof: ReauthenticationProof): Promise<void> {
    return request("POST", accountPath(slug, "/session/reauthenticate"), { body: proof });
  },

  /** Advisory check of a new password for the signed-in person (also while a change is required). */
  checkPassword(slug: string, password: string, signal?: AbortSignal): Promise<PasswordCheckResult> {
    return request("POST", accountPath(slug, "/password-check"), { body: { password }, signal });
  },

  /** Forgot Password: always `202 {message}`, whoever the login belongs to. */
  requestPasswordReset(slug: string, login: string): Promise<{ message: string; supportContact?: string }> {
    return request("POST", accountPath(slug, "/password-resets"), { body: { login } });
  },

  /** What a reset link is for; `410 reset_link_invalid` for every unusable link. */
  lookupPasswordReset(token: string, signal?: AbortSignal): Promise<ResetLinkInfo> {
    return request("POST", "/api/password-resets/lookup", { body: { token }, signal });
  },

  /** Advisory check of a new password on the reset page (rate-limited per link). */
  checkResetPassword(token: string, password: string, signal?: AbortSignal): Promise<PasswordCheckResult> {
    return request("POST", "/api/password-resets/check", { body: { token, password }, signal });
  },

  /** Sets the new password (`204`); signs nobody in. A 422 leaves the link usable. */
  completePasswordReset(body: { token: string; password: string; passwordConfirmation: string }): Promise<void> {
    return request("POST", "/api/password-resets/complete", { body });
  },

  /** Opens an email verification link (`204`); `410 verification_link_invalid`, `409 conflict`. */
  completeEmailVerification(token: string): Promise<void> {
    return request("POST", "/api/email-verifications/complete", { body: { token } });
  },

  /** Opens an unlock link: lifts the lock, trusts this browser; `410 unlock_link_invalid`. */
  completeLoginUnlock(token: string): Promise<UnlockResult> {
    return request("POST", "/api/login-unlocks/complete", { body: { token } });
  },

  getSettings(slug: string, signal?: AbortSignal): Promise<AccountSettings> {
    return request("GET", accountPath(slug, "/settings"), { signal });
  },

  updateSettings(slug: string, changes: SettingsChanges): Promise<AccountSettings> {
    return request("PATCH", accountPath(slug, "/settings"), { body: changes });
  },

  getPermissionCatalogue(signal?: AbortSignal): Promise<Permission[]> {
    return request("GET", "/api/permissions", { signal });
  },

  listStaff(
    slug: string,
    query: { search?: string; status?: StaffStatusFilter; sort?: StaffSort; limit?: number; cursor?: string },
    signal?: AbortSignal,
  ): Promise<Page<StaffListItem>> {
    return request("GET", accountPath(slug, `/staff${queryString(query)}`), { signal });
  },

  getStaff(slug: string, staffId: string, signal?: AbortSignal): Promise<Staff> {
    return request("GET", staffPath(slug, staffId), { signal });
  },

  createStaff(slug: string, body: NewStaff): Promise<Staff> {
    return request("POST", accountPath(slug, "/staff"), { body });
  },

  updateStaff(slug: string, staffId: string, changes: StaffChanges): Promise<Staff> {
    return request("PATCH", staffPath(slug, staffId), { body: changes });
  },

  /**
   * Write-only. One's own password needs `currentPassword` too. `signedOut` is true when it was
   * the caller's own password (their session ended).
   */
  setStaffPassword(
    slug: string,
    staffId: string,
    body: { password: string; mustChangeAtNextLogin: boolean; currentPassword?: string },
  ): Promise<{ signedOut: boolean }> {
    return request("PUT", staffPath(slug, staffId, "/password"), { body });
  },

  setStaffPermissions(
    slug: string,
    staffId: string,
    body: { adminFullAccess: boolean; permissions: string[] },
  ): Promise<Staff> {
    return request("PUT", staffPath(slug, staffId, "/permissions"), { body });
  },

  /** A retry with the same `idempotencyKey` returns the first result and sends nothing more. */
  sendResetLink(
    slug: string,
    staffId: string,
    channel: "email" | "sms",
    idempotencyKey: string,
  ): Promise<ResetLinkSent> {
    return request("POST", staffPath(slug, staffId, `/password-reset-${channel}`), {
      headers: { "Idempotency-Key": idempotencyKey },
    });
  },

  getSmsLedger(
    slug: string,
    query: { limit?: number; cursor?: string },
    signal?: AbortSignal,
  ): Promise<Page<SmsLedgerEntry>> {
    return request("GET", accountPath(slug, `/sms-credits/ledger${queryString(query)}`), { signal });
  },

  listAuditEvents(slug: string, query: AuditQuery, signal?: AbortSignal): Promise<Page<AuditEvent>> {
    return request("GET", accountPath(slug, `/audit-events${queryString({ ...query })}`), { signal });
  },

  /** Admin Access: the business's sign-in security at a glance. */
  getSecurityOverview(slug: string, signal?: AbortSignal): Promise<SecurityOverview> {
    return request("GET", accountPath(slug, "/security-overview"), { signal });
  },
};

/** `GET …/security-overview` (Admin Access). */
export interface SecurityOverview {
  requireTwoFactor: boolean;
  people: Array<{
    id: string;
    name: string;
    username: string;
    isOwner: boolean;
    adminFullAccess: boolean;
    twoFactor: { totp: boolean; passkeys: number; recoveryCodesLeft: number };
    mustChangePassword: boolean;
    passwordSet: boolean;
    /** ISO 8601, or null when never signed in. */
    lastSignedInAt: string | null;
  }>;
  totals: {
    active: number;
    adminAccess: number;
    withTwoFactor: number;
    mustChangePassword: number;
    neverSignedIn: number;
  };
  /** Oldest first, one per UTC day, today last. */
  failedSignInsPerDay: Array<{ date: string; count: number }>;
}

/** Admin Access: the Business Owner, or staff with Admin Access (Full Permissions). */
export function hasAdminAccess(me: Me): boolean {
  return me.isOwner || me.adminFullAccess;
}

export function canViewStaff(me: Me): boolean {
  return hasAdminAccess(me) || me.permissions.includes("staff.view") || me.permissions.includes("staff.edit");
}

/** "Add and edit staff" (Admin Access includes it). */
export function canEditStaff(me: Me): boolean {
  return hasAdminAccess(me) || me.permissions.includes("staff.edit");
}

export function fullName(person: { firstName: string; lastName: string }): string {
  return `${person.firstName} ${person.lastName}`.trim();
}

export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}
