/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen against Kysely<any> */
import type { Kysely } from "kysely";

/**
 * Vendor support agents must use two-step sign-in: an agent's session starts at the stage
 * `second_factor` (or `enrolment`, for an agent with no authenticator app yet) and becomes
 * `active` only after a code. The default is the second step, so a session that a node of an
 * older version writes during a rolling upgrade never opens the console on a password alone;
 * sessions from before end (agents sign in again, with their second step).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("support_sessions")
    .addColumn("stage", "text", (c) => c.notNull().defaultTo("second_factor"))
    .execute();
  await db.deleteFrom("support_sessions").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("support_sessions").dropColumn("stage").execute();
}
