/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen against Kysely<any> */
import type { Kysely } from "kysely";

/**
 * Issue 16: support supervisors, and why a session ended.
 *
 * - `support_agents.is_supervisor`: an agent who may decide recovery cases that the answers could
 *   not settle (facts missing or not matching), so that such a case has a next step.
 * - `recovery_cases`: who escalated a case to a supervisor, why, and who decided it.
 * - `ended_sessions`: a short-lived note of each session that a change ended (a new password, an
 *   admin's reset, made inactive, …), by the SHA-256 of its id like the session itself, so that a
 *   browser still holding the cookie is told why it was signed out. Kept at most 30 days, and no
 *   longer than the session would have lasted.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("support_agents")
    .addColumn("is_supervisor", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .alterTable("recovery_cases")
    .addColumn("escalated_by", "text", (c) => c.references("support_agents.id"))
    .execute();
  await db.schema.alterTable("recovery_cases").addColumn("escalated_at", "bigint").execute();
  await db.schema.alterTable("recovery_cases").addColumn("escalation_note", "text").execute();
  await db.schema
    .alterTable("recovery_cases")
    .addColumn("decided_by", "text", (c) => c.references("support_agents.id"))
    .execute();
  await db.schema.alterTable("recovery_cases").addColumn("decided_at", "bigint").execute();
  await db.schema.alterTable("recovery_cases").addColumn("decision_note", "text").execute();

  await db.schema
    .createTable("ended_sessions")
    .addColumn("id_hash", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("staff_id", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("ended_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("ended_sessions_expires").on("ended_sessions").column("expires_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("ended_sessions").execute();
  for (const column of [
    "decision_note",
    "decided_at",
    "decided_by",
    "escalation_note",
    "escalated_at",
    "escalated_by",
  ]) {
    await db.schema.alterTable("recovery_cases").dropColumn(column).execute();
  }
  await db.schema.alterTable("support_agents").dropColumn("is_supervisor").execute();
}
