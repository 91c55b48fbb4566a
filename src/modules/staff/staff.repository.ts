import type { Insertable, Kysely, Updateable } from "kysely";
import { preparedQuery, type Database, type Executor } from "../../db/database.js";
import { searchGrams } from "../../shared/search-grams.js";
import { derivedColumns } from "./staff.js";
import type { StaffRow, StaffTable } from "./staff.table.js";

/** Prepared once: every sign-in runs it (docs/benchmarks.md). */
const staffByLogin = preparedQuery(
  "staff_by_login",
  (db, accountId: string, normalizedLogin: string) =>
    db
      .selectFrom("staff")
      .selectAll()
      .where("account_id", "=", accountId)
      .where((eb) =>
        eb.or([eb("username_normalized", "=", normalizedLogin), eb("email_normalized", "=", normalizedLogin)]),
      )
      .orderBy("username_normalized"), // deterministic if a username equals someone else's email
  (accountId, normalizedLogin) => [accountId, normalizedLogin, normalizedLogin],
);

/** `normalizedLogin` matches the username or the primary email. Scoped to one account. */
export async function findStaffByLogin(
  db: Executor,
  accountId: string,
  normalizedLogin: string,
): Promise<StaffRow | undefined> {
  const [row] = await staffByLogin(db, accountId, normalizedLogin);
  return row;
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
  const [row] = await lockStaff(db, accountId, staffId);
  return row;
}

/** Prepared once: every sign-in runs it. */
const lockStaff = preparedQuery(
  "lock_staff",
  (db, accountId: string, staffId: string) =>
    db
      .updateTable("staff")
      .set((eb) => ({ updated_at: eb.ref("updated_at") }))
      .where("account_id", "=", accountId)
      .where("id", "=", staffId)
      .returningAll(),
  (accountId, staffId) => [accountId, staffId],
);

/**
 * Holds the business's account row until the transaction ends: the same no-op UPDATE as
 * accounts' `lockAccountById` (accounts sits above staff, which can't import it). Adding or
 * renaming people of one business then runs one at a time on every node — on PostgreSQL the
 * second waits for the row and, under READ COMMITTED, then sees what the first wrote — so a
 * look-alike username check can't be raced past (requireDistinctUsername).
 */
export async function lockAccountForStaffChanges(db: Executor, accountId: string): Promise<void> {
  await db
    .updateTable("accounts")
    .set((eb) => ({ updated_at: eb.ref("updated_at") }))
    .where("id", "=", accountId)
    .execute();
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
  await insertSearchGrams(db, staff.accountId, [row]);
}

type SearchColumns = Pick<StaffRow, "id" | "sort_key" | "search_text">;

/** Gram rows per INSERT: four columns each, far under both databases' parameter limits. */
const GRAM_ROWS_PER_INSERT = 1_000;

/** Adds people's rows to the search index (staff_search_grams): one per gram of their text. */
async function insertSearchGrams(db: Executor, accountId: string, staff: readonly SearchColumns[]): Promise<void> {
  const rows = staff.flatMap((person) =>
    searchGrams(person.search_text).map((gram) => ({
      account_id: accountId,
      gram,
      sort_key: person.sort_key,
      staff_id: person.id,
    })),
  );
  for (let i = 0; i < rows.length; i += GRAM_ROWS_PER_INSERT) {
    await db
      .insertInto("staff_search_grams")
      .values(rows.slice(i, i + GRAM_ROWS_PER_INSERT))
      .execute();
  }
}

/**
 * Replaces people's rows in the search index with rows for their current search text and sort
 * key, whatever rows they had (even rows an older node left stale). Call it in the transaction
 * that changes them, with their staff rows locked (lockStaffById).
 */
export async function replaceSearchGrams(
  db: Executor,
  accountId: string,
  staff: readonly SearchColumns[],
): Promise<void> {
  if (staff.length === 0) return;
  await db
    .deleteFrom("staff_search_grams")
    .where("account_id", "=", accountId)
    .where(
      "staff_id",
      "in",
      staff.map((person) => person.id),
    )
    .execute();
  await insertSearchGrams(db, accountId, staff);
}

export async function updateStaff(
  db: Executor,
  accountId: string,
  staffId: string,
  changes: Updateable<StaffTable>,
): Promise<void> {
  await db.updateTable("staff").set(changes).where("account_id", "=", accountId).where("id", "=", staffId).execute();
}

/** Active people with Admin Access (the owner included) who have an email: whom to tell of a lockout. */
export async function listAdminAccessMembers(db: Executor, accountId: string): Promise<StaffRow[]> {
  return db
    .selectFrom("staff")
    .selectAll()
    .where("account_id", "=", accountId)
    .where("status", "=", "active")
    .where((eb) => eb.or([eb("is_owner", "=", 1), eb("admin_full_access", "=", 1)]))
    .where("email", "is not", null)
    .orderBy("sort_key")
    .limit(50)
    .execute();
}

/** Staff reindexed per transaction: short transactions, so sign-ins and edits never wait long. */
const REBUILD_BATCH = 500;

/**
 * Rebuilds one account's search index (and each person's sort key, search text and username
 * skeleton, derived again from their names, username and email) from its staff rows, a batch of
 * people per transaction, each batch's staff rows locked like an edit locks them (so an edit
 * running meanwhile is indexed either by the edit or by the rebuild, never lost between them).
 * For nodes that wrote staff without keeping the index or the skeleton: versions before them,
 * during a rolling upgrade. Returns how many staff were indexed.
 */
export async function rebuildSearchIndex(db: Kysely<Database>, accountId: string): Promise<number> {
  let indexed = 0;
  let after = "";
  for (;;) {
    const ids = await db
      .selectFrom("staff")
      .select("id")
      .where("account_id", "=", accountId)
      .where("id", ">", after)
      .orderBy("id")
      .limit(REBUILD_BATCH)
      .execute();
    const last = ids.at(-1);
    if (!last) return indexed;
    const reindexBatch = () =>
      db.transaction().execute(async (tx) => {
        const locked = await tx
          .updateTable("staff")
          .set((eb) => ({ updated_at: eb.ref("updated_at") }))
          .where("account_id", "=", accountId)
          .where(
            "id",
            "in",
            ids.map((row) => row.id),
          )
          .returning([
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "sort_key",
            "search_text",
            "username_skeleton",
          ])
          .execute();
        // An older node may also have derived them the way it did then, or not at all.
        const current = [];
        for (const person of locked) {
          const { sort_key, search_text, username_skeleton } = derivedColumns(person);
          if (
            sort_key !== person.sort_key ||
            search_text !== person.search_text ||
            username_skeleton !== person.username_skeleton
          ) {
            await updateStaff(tx, accountId, person.id, { sort_key, search_text, username_skeleton });
          }
          current.push({ id: person.id, sort_key, search_text });
        }
        await replaceSearchGrams(tx, accountId, current);
      });
    // Two rebuilds of one account at once may lock their batches in different orders, and
    // PostgreSQL then ends one of them (deadlock_detected); the batch is simply done again.
    for (let attempt = 1; ; attempt++) {
      try {
        await reindexBatch();
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== "40P01" || attempt >= 5) throw error;
      }
    }
    indexed += ids.length;
    after = last.id;
  }
}
