/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen against Kysely<any> */
import { SqliteAdapter, sql, type Kysely } from "kysely";

interface StaffIdentity {
  id: string;
  account_id: string;
  sort_key: string;
  search_text: string;
  first_name: string;
  last_name: string;
  username: string;
  email: string | null;
}

/** Frozen: `foldForSearch` of `shared/search-grams.ts` as of this migration. */
function foldForSearch(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").normalize("NFC").toLocaleLowerCase("en-US").replace(/ς/g, "σ");
}

/** Frozen: `searchGrams` of `shared/search-grams.ts` as of this migration. */
function searchGrams(folded: string): string[] {
  const grams = new Set<string>();
  for (const [word] of folded.matchAll(/[\p{L}\p{M}\p{N}]+/gu)) {
    const chars = Array.from(word);
    for (let i = 0; i + 3 <= chars.length; i++) grams.add(`${chars[i]}${chars[i + 1]}${chars[i + 2]}`);
  }
  return [...grams];
}

/** Staff rows read and indexed per batch while filling the table. */
const BACKFILL_BATCH = 1_000;

/**
 * The STAFF page's search index: each person's search-text trigrams (see `searchGrams`), kept in
 * list order per gram, so a search walks the postings of its rarest gram in the order the page
 * shows, instead of every row of the account. The table is its primary key (on SQLite stored
 * WITHOUT ROWID, which halves its size), plus an index by person for replacing their rows.
 *
 * No foreign key to `staff`: on PostgreSQL it would lock `staff` against writes (every sign-in
 * writes it) for the whole migration, backfill included. The index is derived data that
 * `search:reindex` can rebuild, and staff are never deleted.
 *
 * Written to be run again over its own work (the table and index created if missing, the table
 * emptied before the backfill), should a database ever hold part of it.
 *
 * It also widens the list's (account_id, sort_key, id) index with `search_text`, so that a term
 * too short for a gram, which walks the account in list order, is matched against the index
 * entries and reads only the matching rows (5× faster for "xu" at 100,000 staff on SQLite).
 *
 * Search also starts ignoring accents and other marks here (`foldForSearch`), so the backfill
 * recomputes each person's `search_text` with it.
 *
 * The backfill uses frozen copies of `foldForSearch` and `searchGrams` as they were when this
 * migration shipped (below), so a later change to the application's functions can't change what
 * this migration writes; a change to how grams are cut needs a new migration that rebuilds this
 * table.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .createTable("staff_search_grams")
    .ifNotExists()
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("gram", "text", (c) => c.notNull())
    .addColumn("sort_key", "text", (c) => c.notNull())
    .addColumn("staff_id", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("staff_search_grams_pk", ["account_id", "gram", "sort_key", "staff_id"])
    .$call((table) => (sqlite ? table.modifyEnd(sql`without rowid`) : table))
    .execute();
  await db.schema
    .createIndex("staff_search_grams_staff")
    .ifNotExists()
    .on("staff_search_grams")
    .columns(["account_id", "staff_id"])
    .execute();
  await db.deleteFrom("staff_search_grams").execute();
  await db.schema
    .createIndex("staff_account_sort_search")
    .ifNotExists()
    .on("staff")
    .columns(["account_id", "sort_key", "id", "search_text"])
    .execute();
  await db.schema.dropIndex("staff_account_sort").ifExists().execute();

  let after = "";
  for (;;) {
    const batch: StaffIdentity[] = await db
      .selectFrom("staff")
      .select(["id", "account_id", "sort_key", "search_text", "first_name", "last_name", "username", "email"])
      .where("id", ">", after)
      .orderBy("id")
      .limit(BACKFILL_BATCH)
      .execute();
    const rows = [];
    for (const staff of batch) {
      // Search now ignores accents and marks (foldForSearch): the stored text follows suit.
      const searchText = foldForSearch(
        [staff.first_name, staff.last_name, staff.username, staff.email ?? ""].join(" "),
      );
      if (searchText !== staff.search_text) {
        await db.updateTable("staff").set({ search_text: searchText }).where("id", "=", staff.id).execute();
      }
      for (const gram of searchGrams(searchText)) {
        rows.push({ account_id: staff.account_id, gram, sort_key: staff.sort_key, staff_id: staff.id });
      }
    }
    // A few thousand rows of four columns per INSERT: under both databases' parameter limits.
    for (let i = 0; i < rows.length; i += 5_000) {
      await db
        .insertInto("staff_search_grams")
        .values(rows.slice(i, i + 5_000))
        .execute();
    }
    const last = batch.at(-1);
    if (!last || batch.length < BACKFILL_BATCH) break;
    after = last.id;
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("staff_account_sort").on("staff").columns(["account_id", "sort_key", "id"]).execute();
  await db.schema.dropIndex("staff_account_sort_search").execute();
  await db.schema.dropTable("staff_search_grams").execute();
}
