/**
 * The person behind a `sub` (a staff id), with their business. Looked up by staff id alone like
 * a session is by its id: the id names the business (staff ids are unique across businesses),
 * and the answer always says which business that is, so the caller can check it.
 */
import type { Executor } from "../../db/database.js";

export interface Person {
  readonly staffId: string;
  readonly accountId: string;
  readonly accountSlug: string;
  readonly accountName: string;
  readonly username: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string | null;
  readonly emailVerified: boolean;
  readonly isOwner: boolean;
  readonly adminFullAccess: boolean;
  /** The stored JSON array of permission keys. */
  readonly permissions: string;
}

/** Active people only: an inactive person has no account at the provider (no tokens, no claims). */
export async function findActivePerson(db: Executor, staffId: string): Promise<Person | undefined> {
  const row = await db
    .selectFrom("staff")
    .innerJoin("accounts", "accounts.id", "staff.account_id")
    .select([
      "staff.id as staff_id",
      "staff.account_id",
      "accounts.slug as account_slug",
      "accounts.name as account_name",
      "staff.username",
      "staff.first_name",
      "staff.last_name",
      "staff.email",
      "staff.email_verified",
      "staff.is_owner",
      "staff.admin_full_access",
      "staff.permissions",
    ])
    .where("staff.id", "=", staffId)
    .where("staff.status", "=", "active")
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    staffId: row.staff_id,
    accountId: row.account_id,
    accountSlug: row.account_slug,
    accountName: row.account_name,
    username: row.username,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    emailVerified: row.email !== null && row.email_verified === 1,
    isOwner: row.is_owner === 1,
    adminFullAccess: row.is_owner === 1 || row.admin_full_access === 1,
    permissions: row.permissions,
  };
}

/**
 * How a portal session's person proved who they are (RFC 8176 `amr`: "pwd", "otp", "hwk"), for
 * the ID token. The sessions module keeps it; it isn't part of what every request resolves.
 */
export async function findSessionMethods(db: Executor, sessionIdHash: string): Promise<string[]> {
  const row = await db.selectFrom("sessions").select("amr").where("id_hash", "=", sessionIdHash).executeTakeFirst();
  return (row?.amr ?? "pwd").split(",").filter((method) => method !== "");
}
