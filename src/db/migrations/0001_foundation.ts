/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen against Kysely<any> */
import { sql, type Kysely } from "kysely";

/**
 * Accounts, staff, sessions and the audit log. Portable types only: TEXT, INTEGER for flags
 * (0/1), BIGINT for epoch-millisecond timestamps, so one migration serves SQLite and PostgreSQL.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("accounts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("owner_full_name", "text", (c) => c.notNull())
    .addColumn("billing_postal_code", "text")
    .addColumn("card_last4", "text")
    .addColumn("business_phone", "text")
    .addColumn("password_min_length", "integer", (c) => c.notNull().defaultTo(8))
    .addColumn("sms_voice_enabled", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("sms_credits", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addCheckConstraint("accounts_sms_credits_non_negative", sql`sms_credits >= 0`)
    .addCheckConstraint("accounts_password_min_length_range", sql`password_min_length BETWEEN 8 AND 64`)
    .execute();

  await db.schema
    .createTable("staff")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("username", "text", (c) => c.notNull())
    .addColumn("username_normalized", "text", (c) => c.notNull())
    .addColumn("first_name", "text", (c) => c.notNull())
    .addColumn("last_name", "text", (c) => c.notNull())
    .addColumn("email", "text")
    .addColumn("email_normalized", "text")
    .addColumn("mobile_phone", "text")
    .addColumn("sms_opt_in", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("active"))
    .addColumn("is_owner", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("admin_full_access", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("permissions", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("password_hash", "text")
    .addColumn("must_change_password", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("password_changed_at", "bigint")
    .addColumn("failed_login_streak", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addCheckConstraint("staff_status_valid", sql`status IN ('active', 'inactive')`)
    .execute();
  await db.schema
    .createIndex("staff_account_username_unique")
    .on("staff")
    .columns(["account_id", "username_normalized"])
    .unique()
    .execute();
  await db.schema
    .createIndex("staff_account_email_unique")
    .on("staff")
    .columns(["account_id", "email_normalized"])
    .unique()
    .execute();
  // At most one owner per account.
  await db.schema
    .createIndex("staff_one_owner_per_account")
    .on("staff")
    .column("account_id")
    .unique()
    .where(sql.ref("is_owner"), "=", 1)
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id_hash", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("staff_id", "text", (c) => c.notNull().references("staff.id"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("last_seen_at", "bigint", (c) => c.notNull())
    .addColumn("idle_timeout_seconds", "integer", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("stay_signed_in", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("ip", "text")
    .addColumn("user_agent", "text")
    .execute();
  await db.schema.createIndex("sessions_staff").on("sessions").column("staff_id").execute();

  await db.schema
    .createTable("audit_events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.references("accounts.id"))
    .addColumn("at", "bigint", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("actor_type", "text")
    .addColumn("actor_id", "text")
    .addColumn("actor_name", "text")
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("target_type", "text")
    .addColumn("target_id", "text")
    .addColumn("target_name", "text")
    .addColumn("ip", "text")
    .addColumn("details", "text", (c) => c.notNull().defaultTo("{}"))
    .execute();
  await db.schema.createIndex("audit_events_account_at").on("audit_events").columns(["account_id", "at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("audit_events").execute();
  await db.schema.dropTable("sessions").execute();
  await db.schema.dropTable("staff").execute();
  await db.schema.dropTable("accounts").execute();
}
