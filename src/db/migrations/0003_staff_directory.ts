/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen against Kysely<any> */
import { sql, type Kysely } from "kysely";

/**
 * The STAFF page's order and search: a sort key and a search text computed by the application
 * (Unicode-aware lower-casing, the same on SQLite and PostgreSQL), with an index for keyset paging.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("staff")
    .addColumn("sort_key", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await db.schema
    .alterTable("staff")
    .addColumn("search_text", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await db
    .updateTable("staff")
    .set({
      sort_key: sql`lower(last_name || ' ' || first_name)`,
      search_text: sql`lower(first_name || ' ' || last_name || ' ' || username || ' ' || coalesce(email, ''))`,
    })
    .execute();
  await db.schema.createIndex("staff_account_sort").on("staff").columns(["account_id", "sort_key", "id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("staff_account_sort").execute();
  await db.schema.alterTable("staff").dropColumn("search_text").execute();
  await db.schema.alterTable("staff").dropColumn("sort_key").execute();
}
