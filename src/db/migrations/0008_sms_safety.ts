/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen against Kysely<any> */
import type { Kysely } from "kysely";

/**
 * Texts that can't be abused and are never sent twice:
 * - `accounts.country`: the business's country (ISO 3166-1 alpha-2); phone numbers typed without
 *   a "+" are read as its numbers. Businesses from before are `US`, as numbers were read then.
 * - `accounts.sms_allowed_countries`: a JSON array of the countries texts may go to; NULL means
 *   the business's own country only.
 * - ledger indexes for counting the texts of the last hour, per business and per person, in the
 *   transaction that charges for the next one.
 * - `outbox_messages.attempt_started_at`: set just before a message is handed to its provider, so
 *   an attempt whose outcome was lost (a timeout, a crash) is known to be one that may have
 *   reached it; `uncertain_since`: when a text's outcome became uncertain, while it is settled by
 *   asking the provider instead of sending it again.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("accounts")
    .addColumn("country", "text", (c) => c.notNull().defaultTo("US"))
    .execute();
  await db.schema.alterTable("accounts").addColumn("sms_allowed_countries", "text").execute();

  await db.schema
    .createIndex("sms_credit_ledger_account_at")
    .on("sms_credit_ledger")
    .columns(["account_id", "at"])
    .execute();
  await db.schema
    .createIndex("sms_credit_ledger_staff_at")
    .on("sms_credit_ledger")
    .columns(["account_id", "staff_id", "at"])
    .execute();

  await db.schema.alterTable("outbox_messages").addColumn("attempt_started_at", "bigint").execute();
  await db.schema.alterTable("outbox_messages").addColumn("uncertain_since", "bigint").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("outbox_messages").dropColumn("uncertain_since").execute();
  await db.schema.alterTable("outbox_messages").dropColumn("attempt_started_at").execute();
  await db.schema.dropIndex("sms_credit_ledger_staff_at").execute();
  await db.schema.dropIndex("sms_credit_ledger_account_at").execute();
  await db.schema.alterTable("accounts").dropColumn("sms_allowed_countries").execute();
  await db.schema.alterTable("accounts").dropColumn("country").execute();
}
