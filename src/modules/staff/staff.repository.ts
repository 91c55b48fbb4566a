import type { Insertable, Updateable } from "kysely";
import type { Executor } from "../../db/database.js";
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

export async function insertStaff(db: Executor, staff: Insertable<StaffTable>): Promise<void> {
  await db.insertInto("staff").values(staff).execute();
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
