import type { Insertable, Kysely, Updateable } from "kysely";
import type { Database, Executor } from "../../db/database.js";
import { searchGrams } from "../../shared/search-grams.js";
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

/**
 * Reads a staff row and holds it until the transaction ends, for read-modify-write: on
 * PostgreSQL a concurrent change of the same person waits, then reads what this one wrote (a
 * no-op UPDATE … RETURNING, the same statement on both databases; SQLite runs one write
 * transaction at a time anyway).
 */
export async function lockStaffById(db: Executor, accountId: string, staffId: string): Promise<StaffRow | undefined> {
  return db
    .updateTable("staff")
    .set((eb) => ({ updated_at: eb.ref("updated_at") }))
    .where("account_id", "=", accountId)
    .where("id", "=", staffId)
    .returningAll()
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
  await replaceSearchGrams(db, staff.accountId, staff.id, null, row);
}

type SearchColumns = Pick<StaffRow, "sort_key" | "search_text">;

/**
 * Keeps a person's rows in the search index (staff_search_grams) in step with their search text
 * and sort key: call it in the transaction that changes them, with the values before and after.
 */
export async function replaceSearchGrams(
  db: Executor,
  accountId: string,
  staffId: string,
  before: SearchColumns | null,
  after: SearchColumns,
): Promise<void> {
  if (before && before.sort_key === after.sort_key && before.search_text === after.search_text) return;
  const oldGrams = before ? searchGrams(before.search_text) : [];
  if (before && oldGrams.length > 0) {
    await db
      .deleteFrom("staff_search_grams")
      .where("account_id", "=", accountId)
      .where("gram", "in", oldGrams)
      .where("sort_key", "=", before.sort_key)
      .where("staff_id", "=", staffId)
      .execute();
  }
  const newGrams = searchGrams(after.search_text);
  if (newGrams.length === 0) return;
  await db
    .insertInto("staff_search_grams")
    .values(newGrams.map((gram) => ({ account_id: accountId, gram, sort_key: after.sort_key, staff_id: staffId })))
    .execute();
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

/** Staff read per batch, and gram rows per INSERT, while rebuilding an account's index. */
const REBUILD_BATCH = 1_000;

/**
 * Rebuilds one account's search index from its staff rows, in one transaction (searches keep
 * seeing the old index until it commits). For nodes that wrote staff without keeping the index:
 * versions before it, during a rolling upgrade. Returns how many staff were indexed.
 */
export async function rebuildSearchIndex(db: Kysely<Database>, accountId: string): Promise<number> {
  return db.transaction().execute(async (tx) => {
    await tx.deleteFrom("staff_search_grams").where("account_id", "=", accountId).execute();
    let indexed = 0;
    let after = "";
    for (;;) {
      const batch = await tx
        .selectFrom("staff")
        .select(["id", "sort_key", "search_text"])
        .where("account_id", "=", accountId)
        .where("id", ">", after)
        .orderBy("id")
        .limit(REBUILD_BATCH)
        .execute();
      const rows = batch.flatMap((staff) =>
        searchGrams(staff.search_text).map((gram) => ({
          account_id: accountId,
          gram,
          sort_key: staff.sort_key,
          staff_id: staff.id,
        })),
      );
      for (let i = 0; i < rows.length; i += REBUILD_BATCH) {
        await tx
          .insertInto("staff_search_grams")
          .values(rows.slice(i, i + REBUILD_BATCH))
          .execute();
      }
      indexed += batch.length;
      const last = batch.at(-1);
      if (!last) return indexed;
      after = last.id;
    }
  });
}
