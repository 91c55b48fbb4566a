/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen against Kysely<any> */
import type { Kysely } from "kysely";

/**
 * Vendor support agents must use two-step sign-in: an agent's session starts at the stage
 * `second_factor` (or `enrolment`, for an agent with no authenticator app yet) and becomes
 * `active` only after a code. Sessions from before keep working (`active`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("support_sessions")
    .addColumn("stage", "text", (c) => c.notNull().defaultTo("active"))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("support_sessions").dropColumn("stage").execute();
}
