/** What a staff member's details may look like; every problem is reported by field. */
import type { Executor } from "../../db/database.js";
import { DomainError } from "../../shared/errors.js";
import { DEFAULT_COUNTRY, normalizePhoneEntry } from "../../shared/phone.js";
import { FORBIDDEN_CHARACTERS_HINT, hasForbiddenCharacters } from "../../shared/text.js";
import { usernameSkeleton } from "../../shared/username-skeleton.js";
import { normalizeLogin } from "./staff.js";

export const USERNAME_PATTERN = /^[\p{L}\p{N}._-]{2,40}$/u;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface StaffDetailsInput {
  readonly username?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly email?: string | null;
  readonly mobilePhone?: string | null;
  readonly smsOptIn?: boolean;
}

export interface CleanStaffDetails {
  readonly username?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly email?: string | null;
  readonly mobilePhone?: string | null;
  readonly smsOptIn?: boolean;
}

const blankToNull = (value: string | null | undefined) =>
  value === undefined ? undefined : value === null || value.trim() === "" ? null : value.trim();

/** The business's country, which mobile numbers typed without a "+" belong to. */
export async function phoneCountryOf(db: Executor, accountId: string): Promise<string> {
  const row = await db.selectFrom("accounts").select("country").where("id", "=", accountId).executeTakeFirst();
  return row?.country ?? DEFAULT_COUNTRY;
}

/**
 * Trims, validates and returns the fields given; throws `validation_failed` naming each bad one.
 * A mobile number is stored in E.164, read as a number of `country` when typed without a "+".
 */
export function cleanStaffDetails(input: StaffDetailsInput, country: string): CleanStaffDetails {
  const fields: Record<string, string> = {};
  // Names are checked as typed, before trimming: a line break is refused, not quietly dropped.
  for (const field of ["username", "firstName", "lastName"] as const) {
    const value = input[field];
    if (value !== undefined && hasForbiddenCharacters(value)) fields[field] = FORBIDDEN_CHARACTERS_HINT;
  }
  const username = input.username?.trim();
  if (username !== undefined && !fields["username"] && !USERNAME_PATTERN.test(username)) {
    fields["username"] = "2–40 letters, digits, dots, hyphens or underscores";
  }
  const firstName = input.firstName?.trim();
  if (firstName !== undefined && !fields["firstName"] && (firstName.length === 0 || firstName.length > 80)) {
    fields["firstName"] = "required, at most 80 characters";
  }
  const lastName = input.lastName?.trim();
  if (lastName !== undefined && !fields["lastName"] && (lastName.length === 0 || lastName.length > 80)) {
    fields["lastName"] = "required, at most 80 characters";
  }
  const email = blankToNull(input.email);
  if (email && (!EMAIL_PATTERN.test(email) || email.length > 254)) fields["email"] = "a valid email address";
  let mobilePhone = blankToNull(input.mobilePhone);
  if (mobilePhone) {
    const entry = normalizePhoneEntry(mobilePhone, country);
    if (entry.ok) mobilePhone = entry.e164;
    else fields["mobilePhone"] = entry.hint;
  }
  if (Object.keys(fields).length > 0) throw new DomainError("validation_failed", undefined, { fields });
  return {
    ...(username !== undefined ? { username } : {}),
    ...(firstName !== undefined ? { firstName } : {}),
    ...(lastName !== undefined ? { lastName } : {}),
    ...(email !== undefined ? { email } : {}),
    ...(mobilePhone !== undefined ? { mobilePhone } : {}),
    ...(input.smsOptIn !== undefined ? { smsOptIn: input.smsOptIn } : {}),
  };
}

/** Unique-index violations, in both dialects, become a field-level conflict. */
export function conflictFromUniqueViolation(error: unknown): DomainError | undefined {
  const text = String((error as { message?: string }).message ?? error);
  const code = (error as { code?: string }).code;
  const unique = code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || /UNIQUE constraint failed/.test(text);
  // Only the username and email indexes are a person's fields; any other violation is a bug.
  const field = /email/.test(text) ? "email" : /username/.test(text) ? "username" : undefined;
  if (!unique || !field) return undefined;
  const message =
    field === "email"
      ? "Another staff member already uses that email."
      : "Another staff member already uses that username.";
  return new DomainError("conflict", message, { fields: { [field]: "already in use" } });
}

/**
 * Refuses a username that looks like another person's in the same business — `аdmin` with a
 * Cyrillic а beside `admin` (UTS #39 skeletons, shared/username-skeleton.ts) — with
 * `username_too_similar`. One that differs from another only by case is left to the unique index
 * (a `conflict`, as before). Call it in the transaction that adds or renames the person, after
 * `lockAccountForStaffChanges`, so that two look-alikes added at once can't both pass.
 */
export async function requireDistinctUsername(
  tx: Executor,
  accountId: string,
  username: string,
  exceptStaffId?: string,
): Promise<void> {
  let query = tx
    .selectFrom("staff")
    .select("username")
    .where("account_id", "=", accountId)
    .where("username_skeleton", "=", usernameSkeleton(username))
    .where("username_normalized", "!=", normalizeLogin(username));
  if (exceptStaffId !== undefined) query = query.where("id", "!=", exceptStaffId);
  const lookalike = await query.orderBy("username").limit(1).executeTakeFirst();
  if (lookalike) {
    throw new DomainError(
      "username_too_similar",
      `The username “${username}” looks too much like “${lookalike.username}”, which another staff member uses. Choose one that looks different.`,
      { fields: { username: "looks like another staff member's username" } },
    );
  }
}
