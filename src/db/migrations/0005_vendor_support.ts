/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen against Kysely<any> */
import type { Kysely } from "kysely";

/** Vendor support: agents, their own sessions, and Business Owner recovery cases. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("support_agents")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("email_normalized", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("active"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("support_sessions")
    .addColumn("id_hash", "text", (c) => c.primaryKey())
    .addColumn("agent_id", "text", (c) => c.notNull().references("support_agents.id"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("last_seen_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("ip", "text")
    .execute();

  await db.schema
    .createTable("recovery_cases")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("caller_name", "text", (c) => c.notNull())
    .addColumn("checks", "text", (c) => c.notNull())
    .addColumn("opened_by", "text", (c) => c.notNull().references("support_agents.id"))
    .addColumn("opened_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("approved_by", "text", (c) => c.references("support_agents.id"))
    .addColumn("approved_at", "bigint")
    .addColumn("completed_by", "text", (c) => c.references("support_agents.id"))
    .addColumn("completed_at", "bigint")
    .addColumn("delivery", "text")
    .execute();
  await db.schema
    .createIndex("recovery_cases_account")
    .on("recovery_cases")
    .columns(["account_id", "opened_at"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("recovery_cases").execute();
  await db.schema.dropTable("support_sessions").execute();
  await db.schema.dropTable("support_agents").execute();
}
