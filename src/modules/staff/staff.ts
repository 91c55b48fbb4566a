import { foldForSearch } from "../../shared/search-grams.js";
import { usernameSkeleton } from "../../shared/username-skeleton.js";
import type { SessionPrincipal } from "../sessions/index.js";
import type { TwoFactorSummary } from "../two-factor/index.js";
import type { StaffRow } from "./staff.table.js";

/** A signed-in person as every request sees them: the columns the sessions module names. */
export type StaffPrincipal = SessionPrincipal;

export const OWNER_USERNAME = "admin";

/** The API's `Staff` / `Me` shape. The password hash never leaves the server. */
export interface StaffView {
  readonly id: string;
  readonly username: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string | null;
  readonly mobilePhone: string | null;
  readonly smsOptIn: boolean;
  readonly status: "active" | "inactive";
  readonly isOwner: boolean;
  readonly adminFullAccess: boolean;
  readonly permissions: string[];
  readonly passwordSet: boolean;
  /** A one-time password waits to be replaced at the next sign-in. */
  readonly mustChangePassword: boolean;
  /** A new address the person typed, waiting for them to open the link sent to it. */
  readonly pendingEmail: string | null;
  readonly emailVerified: boolean;
  readonly twoFactor: TwoFactorSummary;
}

const NO_SECOND_FACTOR: TwoFactorSummary = { totp: false, passkeys: 0, recoveryCodesLeft: 0 };

/** Usernames and emails match case-insensitively, whatever Unicode form the browser sent. */
export function normalizeLogin(login: string): string {
  return login.normalize("NFC").trim().toLowerCase();
}

type Identity = Pick<StaffRow, "username" | "first_name" | "last_name" | "email">;

/** Columns computed from a person's identity: login matching, look-alikes, order and search. */
export function derivedColumns(identity: Identity) {
  return {
    username_normalized: normalizeLogin(identity.username),
    username_skeleton: usernameSkeleton(identity.username),
    email_normalized: identity.email ? normalizeLogin(identity.email) : null,
    // The list's order keeps accents ("Zoë" after "Zoe"); only matching ignores them.
    sort_key: `${identity.last_name} ${identity.first_name}`.normalize("NFC").toLocaleLowerCase("en-US"),
    search_text: foldForSearch(
      [identity.first_name, identity.last_name, identity.username, identity.email ?? ""].join(" "),
    ),
  };
}

export function fullName(staff: Pick<StaffRow, "first_name" | "last_name">): string {
  return `${staff.first_name} ${staff.last_name}`.trim();
}

export function parsePermissions(json: string): string[] {
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed.filter((key): key is string => typeof key === "string") : [];
}

/** A full row, or a request's principal (which carries `has_password` instead of the hash). */
export type StaffViewSource =
  StaffRow | (Omit<StaffPrincipal, "has_password"> & { readonly has_password: number; readonly password_hash?: never });

/** `twoFactor` comes from the two-factor tables (twoFactorSummaries); none when not given. */
export function toStaffView(row: StaffViewSource, twoFactor: TwoFactorSummary = NO_SECOND_FACTOR): StaffView {
  const isOwner = row.is_owner === 1;
  return {
    id: row.id,
    username: row.username,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    mobilePhone: row.mobile_phone,
    smsOptIn: row.sms_opt_in === 1,
    status: row.status,
    isOwner,
    // The owner always has Admin Access, whatever the column says.
    adminFullAccess: isOwner || row.admin_full_access === 1,
    permissions: parsePermissions(row.permissions),
    passwordSet: "has_password" in row ? row.has_password === 1 : row.password_hash !== null,
    mustChangePassword: row.must_change_password === 1,
    pendingEmail: row.pending_email,
    emailVerified: row.email !== null && row.email_verified === 1,
    twoFactor,
  };
}
