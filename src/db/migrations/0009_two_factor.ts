/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen against Kysely<any> */
import type { Kysely } from "kysely";

/**
 * Two-factor sign-in: authenticator-app secrets (sealed at rest) for staff and support agents,
 * one-time recovery codes (hashed), passkeys, sign-ins waiting for their second step, the
 * business's "Require two-factor" switch, and how each session was authenticated (`amr`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("totp_factors")
    /** `staff:<id>` or `agent:<id>`. */
    .addColumn("subject", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text")
    .addColumn("sealed_secret", "text", (c) => c.notNull())
    /** Null while enrolment waits for its first code. */
    .addColumn("confirmed_at", "bigint")
    /** The last 30-second step a code was accepted for: a code is accepted once. */
    .addColumn("last_used_step", "bigint")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("recovery_codes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("staff_id", "text", (c) => c.notNull())
    .addColumn("code_hash", "text", (c) => c.notNull())
    .addColumn("used_at", "bigint")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("recovery_codes_staff_code")
    .on("recovery_codes")
    .columns(["account_id", "staff_id", "code_hash"])
    .unique()
    .execute();

  await db.schema
    .createTable("passkeys")
    /** The credential id, base64url. */
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("staff_id", "text", (c) => c.notNull())
    .addColumn("public_key", "text", (c) => c.notNull())
    .addColumn("counter", "bigint", (c) => c.notNull())
    .addColumn("transports", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("last_used_at", "bigint")
    .execute();
  await db.schema.createIndex("passkeys_staff").on("passkeys").columns(["account_id", "staff_id"]).execute();

  await db.schema
    .createTable("pending_sign_ins")
    .addColumn("id_hash", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull())
    /** Null for a passwordless passkey sign-in that hasn't said who it is yet. */
    .addColumn("staff_id", "text")
    .addColumn("stay_signed_in", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("enrollment_required", "integer", (c) => c.notNull().defaultTo(0))
    /** Methods done so far (RFC 8176 `amr` values, comma-separated). */
    .addColumn("amr", "text", (c) => c.notNull())
    /** A WebAuthn challenge this pending sign-in is waiting on. */
    .addColumn("challenge", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .alterTable("accounts")
    .addColumn("require_two_factor", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("sessions")
    .addColumn("amr", "text", (c) => c.notNull().defaultTo("pwd"))
    .execute();
  /** A WebAuthn challenge for registering a passkey or re-authenticating with one. */
  await db.schema.alterTable("sessions").addColumn("challenge", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("sessions").dropColumn("challenge").execute();
  await db.schema.alterTable("sessions").dropColumn("amr").execute();
  await db.schema.alterTable("accounts").dropColumn("require_two_factor").execute();
  await db.schema.dropTable("pending_sign_ins").execute();
  await db.schema.dropTable("passkeys").execute();
  await db.schema.dropTable("recovery_codes").execute();
  await db.schema.dropTable("totp_factors").execute();
}
