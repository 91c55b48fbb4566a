/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen against Kysely<any> */
import { createHash } from "node:crypto";
import { sql, type Kysely } from "kysely";

/**
 * Closing takeover and lock-out paths:
 * - `sessions.authenticated_at`: when the session's person last proved who they are (sign-in or
 *   re-authentication), for "sudo mode".
 * - `staff.pending_email` / `email_verified`: an email a person typed for themselves takes effect
 *   only once a link sent to it is opened; `lockout_notified_at` caps "your login was locked" mail.
 * - `login_attempts`: the hard cap on consecutive failed password evaluations, one row per subject
 *   (a person, a support agent, or a login that matches nobody — so every sign-in does the same
 *   write whoever it names). It replaces `staff.failed_login_streak`, whose counts move here.
 * - `staff_tokens`: single-use emailed links other than password resets (unlock, email
 *   verification), stored as SHA-256.
 * - `audit_events.occurrences`: a refusal repeated within a minute is one row with a count.
 * - `trusted_browsers`: browsers that signed in as a person (or opened their unlock link); their
 *   own attempts are counted apart, so a stranger's guesses never hold the person out.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("sessions").addColumn("authenticated_at", "bigint").execute();
  await sql`UPDATE sessions SET authenticated_at = created_at`.execute(db);

  await db.schema.alterTable("staff").addColumn("pending_email", "text").execute();
  await db.schema
    .alterTable("staff")
    .addColumn("email_verified", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable("staff").addColumn("lockout_notified_at", "bigint").execute();

  await db.schema
    .createTable("login_attempts")
    /** SHA-256 (hex) of the subject (`staff:<id>`, `agent:<id>`, `login:<account>:<text>`). */
    .addColumn("subject", "text", (c) => c.primaryKey())
    .addColumn("failures", "integer", (c) => c.notNull())
    /** The subject's cap (100 for staff, fewer for support agents): at it, the subject is locked. */
    .addColumn("max_failures", "integer", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  const streaks = await db
    .selectFrom("staff")
    .select(["id", "failed_login_streak", "updated_at"])
    .where("failed_login_streak", ">", 0)
    .execute();
  for (const row of streaks as Array<{ id: string; failed_login_streak: number; updated_at: number }>) {
    await db
      .insertInto("login_attempts")
      .values({
        subject: createHash("sha256").update(`staff:${row.id}`).digest("hex"),
        failures: Math.min(row.failed_login_streak, 100),
        max_failures: 100,
        updated_at: row.updated_at,
      })
      .execute();
  }

  await db.schema
    .createTable("staff_tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("staff_id", "text", (c) => c.notNull())
    .addColumn("purpose", "text", (c) => c.notNull())
    /** For email verification: the address the link was sent to. */
    .addColumn("email", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("used_at", "bigint")
    .addColumn("revoked_at", "bigint")
    .execute();
  await db.schema.createIndex("staff_tokens_staff").on("staff_tokens").columns(["account_id", "staff_id"]).execute();

  await db.schema
    .alterTable("audit_events")
    .addColumn("occurrences", "integer", (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable("trusted_browsers")
    .addColumn("id_hash", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("staff_id", "text", (c) => c.notNull())
    .addColumn("failures", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("trusted_browsers_staff")
    .on("trusted_browsers")
    .columns(["account_id", "staff_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("trusted_browsers").execute();
  await db.schema.alterTable("audit_events").dropColumn("occurrences").execute();
  await db.schema.dropTable("staff_tokens").execute();
  await db.schema.dropTable("login_attempts").execute();
  await db.schema.alterTable("staff").dropColumn("lockout_notified_at").execute();
  await db.schema.alterTable("staff").dropColumn("email_verified").execute();
  await db.schema.alterTable("staff").dropColumn("pending_email").execute();
  await db.schema.alterTable("sessions").dropColumn("authenticated_at").execute();
}
