/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen against Kysely<any> */
import type { Kysely } from "kysely";

/**
 * The SMS credit ledger (append-only; the balance lives on the account row, guarded by a
 * CHECK >= 0) and idempotency keys for requests that send messages or spend credit.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("sms_credit_ledger")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("at", "bigint", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("change", "integer", (c) => c.notNull())
    .addColumn("balance_after", "integer", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("staff_id", "text")
    .addColumn("outbox_message_id", "text")
    .addColumn("actor_name", "text")
    .execute();
  await db.schema
    .createIndex("sms_credit_ledger_account_seq")
    .on("sms_credit_ledger")
    .columns(["account_id", "seq"])
    .unique()
    .execute();

  await db.schema
    .createTable("idempotency_keys")
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("actor_id", "text", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("fingerprint", "text", (c) => c.notNull())
    .addColumn("status_code", "integer", (c) => c.notNull())
    .addColumn("response_body", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("idempotency_keys_pk", ["account_id", "actor_id", "key"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("idempotency_keys").execute();
  await db.schema.dropTable("sms_credit_ledger").execute();
}
