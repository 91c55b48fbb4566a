/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen against Kysely<any> */
import type { Kysely } from "kysely";

/** The message outbox and password-reset tokens (stored as SHA-256 only). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("outbox_messages")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.references("accounts.id"))
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("recipient", "text", (c) => c.notNull())
    .addColumn("template", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("text_body", "text", (c) => c.notNull())
    .addColumn("html_body", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("pending"))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("max_attempts", "integer", (c) => c.notNull())
    .addColumn("next_attempt_at", "bigint", (c) => c.notNull())
    .addColumn("claimed_by", "text")
    .addColumn("claimed_until", "bigint")
    .addColumn("last_error", "text")
    .addColumn("provider_message_id", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("sent_at", "bigint")
    .execute();
  await db.schema
    .createIndex("outbox_messages_due")
    .on("outbox_messages")
    .columns(["status", "next_attempt_at"])
    .execute();

  await db.schema
    .createTable("password_reset_tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("staff_id", "text", (c) => c.notNull().references("staff.id"))
    .addColumn("purpose", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("used_at", "bigint")
    .addColumn("revoked_at", "bigint")
    .addColumn("requested_ip", "text")
    .execute();
  await db.schema
    .createIndex("password_reset_tokens_staff")
    .on("password_reset_tokens")
    .columns(["account_id", "staff_id", "created_at"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("password_reset_tokens").execute();
  await db.schema.dropTable("outbox_messages").execute();
}
