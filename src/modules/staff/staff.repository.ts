import type { Insertable, Updateable } from "kysely";
import type { Executor } from "../../db/database.js";
import { derivedColumns } from "./staff.js";
import type { StaffRow, StaffTable } from "./staff.table.js";

/** `normalizedLogin` matches the username or the primary email. Scoped to one account. */
export async function findStaffByLogin(
  db: Executor,
  accountId: string,
  normalizedLogin: string,
): Promise<StaffRow | undefined> {
  return db
    .selectFrom("staff")
    .selectAll()
    .where("account_id", "=", accountId)
    .where((eb) =>
      eb.or([eb("username_normalized", "=", normalizedLogin), eb("email_normalized", "=", normalizedLogin)]),
    )
    .orderBy("username_normalized") // deterministic if a username equals someone else's email
    .executeTakeFirst();
}

export async function findStaffById(db: Executor, accountId: string, staffId: string): Promise<StaffRow | undefined> {
  return db
    .selectFrom("staff")
    .selectAll()
    .where("account_id", "=", accountId)
    .where("id", "=", staffId)
    .executeTakeFirst();
}

/** Everything about a new staff member that isn't derived. */
export interface NewStaff {
  readonly id: string;
  readonly accountId: string;
  readonly username: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string | null;
  readonly mobilePhone: string | null;
  readonly smsOptIn: boolean;
  readonly isOwner: boolean;
  readonly adminFullAccess: boolean;
  readonly permissions: readonly string[];
  readonly passwordHash: string | null;
  readonly mustChangePassword: boolean;
  readonly now: number;
}

export async function insertStaff(db: Executor, staff: NewStaff): Promise<void> {
  const row: Insertable<StaffTable> = {
    id: staff.id,
    account_id: staff.accountId,
    username: staff.username,
    first_name: staff.firstName,
    last_name: staff.lastName,
    email: staff.email,
    mobile_phone: staff.mobilePhone,
    sms_opt_in: staff.smsOptIn ? 1 : 0,
    status: "active",
    is_owner: staff.isOwner ? 1 : 0,
    admin_full_access: staff.adminFullAccess ? 1 : 0,
    permissions: JSON.stringify(staff.permissions),
    password_hash: staff.passwordHash,
    must_change_password: staff.mustChangePassword ? 1 : 0,
    password_changed_at: staff.passwordHash ? staff.now : null,
    created_at: staff.now,
    updated_at: staff.now,
    ...derivedColumns({
      username: staff.username,
      first_name: staff.firstName,
      last_name: staff.lastName,
      email: staff.email,
    }),
  };
  await db.insertInto("staff").values(row).execute();
}

export async function updateStaff(
  db: Executor,
  accountId: string,
  staffId: string,
  changes: Updateable<StaffTable>,
): Promise<void> {
  await db.updateTable("staff").set(changes).where("account_id", "=", accountId).where("id", "=", staffId).execute();
}

export async function incrementFailedLoginStreak(db: Executor, accountId: string, staffId: string): Promise<void> {
  await db
    .updateTable("staff")
    .set((eb) => ({ failed_login_streak: eb("failed_login_streak", "+", 1) }))
    .where("account_id", "=", accountId)
    .where("id", "=", staffId)
    .execute();
}
