import type { Executor } from "../../db/database.js";
import { DomainError } from "../../shared/errors.js";
import type { AccountRow, AccountsTable } from "./accounts.table.js";
import type { Insertable } from "kysely";

export async function findAccountBySlug(db: Executor, slug: string): Promise<AccountRow | undefined> {
  return db.selectFrom("accounts").selectAll().where("slug", "=", slug).executeTakeFirst();
}

export async function findAccountById(db: Executor, accountId: string): Promise<AccountRow | undefined> {
  return db.selectFrom("accounts").selectAll().where("id", "=", accountId).executeTakeFirst();
}

export async function countAccounts(db: Executor): Promise<number> {
  const row = await db
    .selectFrom("accounts")
    .select((eb) => eb.fn.countAll<number | string>().as("count"))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function insertAccount(db: Executor, account: Insertable<AccountsTable>): Promise<void> {
  await db.insertInto("accounts").values(account).execute();
}

/** The account behind a URL's slug, or `not_found`. */
export async function getAccountBySlug(db: Executor, slug: string): Promise<AccountRow> {
  const account = await findAccountBySlug(db, slug);
  if (!account) throw new DomainError("not_found", "There is no business at this address.");
  return account;
}

/**
 * Holds the account row until the transaction ends (a no-op UPDATE, the same on both databases):
 * work that counts against a per-business cap runs one at a time, on every node.
 */
export async function lockAccountById(db: Executor, accountId: string): Promise<void> {
  await db
    .updateTable("accounts")
    .set((eb) => ({ updated_at: eb.ref("updated_at") }))
    .where("id", "=", accountId)
    .execute();
}
