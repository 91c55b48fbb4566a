import { CompiledQuery, sql, type InferResult, type Insertable } from "kysely";
import type { Executor } from "../../db/database.js";
import type { StaffPrincipal } from "../staff/index.js";
import type { SessionsTable } from "./sessions.table.js";

/** An ended session's note lives no longer than this, whatever the session's own end. */
const ENDED_SESSION_NOTE_MAX_MS = 30 * 24 * 3600_000;

export async function insertSession(db: Executor, session: Insertable<SessionsTable>): Promise<void> {
  await db.insertInto("sessions").values(session).execute();
}

/** The person's columns a request carries (StaffPrincipal): never the password hash. */
const PRINCIPAL_COLUMNS = [
  "id",
  "account_id",
  "username",
  "first_name",
  "last_name",
  "email",
  "pending_email",
  "email_verified",
  "mobile_phone",
  "sms_opt_in",
  "status",
  "is_owner",
  "admin_full_access",
  "permissions",
  "must_change_password",
] as const satisfies ReadonlyArray<keyof StaffPrincipal>;

function sessionWithStaffQuery(db: Executor, idHash: string) {
  return db
    .selectFrom("sessions")
    .innerJoin("staff", "staff.id", "sessions.staff_id")
    .innerJoin("accounts", "accounts.id", "sessions.account_id")
    .select(PRINCIPAL_COLUMNS.map((column) => `staff.${column}` as const))
    .select(sql<number>`CASE WHEN staff.password_hash IS NULL THEN 0 ELSE 1 END`.as("has_password"))
    .select([
      "sessions.id_hash",
      "sessions.last_seen_at",
      "sessions.idle_timeout_seconds",
      "sessions.expires_at",
      "sessions.stay_signed_in",
      "sessions.authenticated_at",
      "accounts.slug as account_slug",
      "accounts.name as account_name",
      "accounts.password_min_length as account_password_min_length",
      "accounts.require_two_factor as account_require_two_factor",
    ])
    .where("sessions.id_hash", "=", idHash);
}

type SessionWithStaff = InferResult<ReturnType<typeof sessionWithStaffQuery>>[number];

/** Compiled once per database: building and compiling the query cost more than running it. */
const compiledSessionQueries = new WeakMap<Executor, string>();

/** The session with its staff member and account, in one query: it runs on every request. */
export async function findSessionWithStaff(db: Executor, idHash: string): Promise<SessionWithStaff | undefined> {
  let sqlText = compiledSessionQueries.get(db);
  if (sqlText === undefined) {
    sqlText = sessionWithStaffQuery(db, idHash).compile().sql;
    compiledSessionQueries.set(db, sqlText);
  }
  const result = await db.executeQuery<SessionWithStaff>(CompiledQuery.raw(sqlText, [idHash]));
  return result.rows[0];
}

export async function touchSession(db: Executor, idHash: string, lastSeenAt: number): Promise<void> {
  await db.updateTable("sessions").set({ last_seen_at: lastSeenAt }).where("id_hash", "=", idHash).execute();
}

export async function setSessionAuthenticatedAt(db: Executor, idHash: string, at: number): Promise<void> {
  await db.updateTable("sessions").set({ authenticated_at: at }).where("id_hash", "=", idHash).execute();
}

export async function deleteSession(db: Executor, idHash: string): Promise<void> {
  await db.deleteFrom("sessions").where("id_hash", "=", idHash).execute();
}

/**
 * Notes why each live session of one staff member ends (call it just before deleting them, in the
 * same transaction). A note lasts as long as the session would have, 30 days at most.
 */
export async function noteEndedSessionsOfStaff(
  db: Executor,
  accountId: string,
  staffId: string,
  reason: string,
  now: number,
): Promise<void> {
  const sessions = await db
    .selectFrom("sessions")
    .select(["id_hash", "expires_at", "last_seen_at", "idle_timeout_seconds"])
    .where("account_id", "=", accountId)
    .where("staff_id", "=", staffId)
    .execute();
  const notes = sessions
    .map((session) => ({
      id_hash: session.id_hash,
      account_id: accountId,
      staff_id: staffId,
      reason,
      ended_at: now,
      expires_at: Math.min(
        session.expires_at,
        session.last_seen_at + session.idle_timeout_seconds * 1000,
        now + ENDED_SESSION_NOTE_MAX_MS,
      ),
    }))
    .filter((note) => note.expires_at > now);
  if (notes.length === 0) return;
  // Two changes racing to end the same sessions: the first note stands.
  await db
    .insertInto("ended_sessions")
    .values(notes)
    .onConflict((oc) => oc.column("id_hash").doNothing())
    .execute();
}

/** Why the session with this id hash ended, if a change ended it lately in this account. */
export async function findEndedSession(
  db: Executor,
  idHash: string,
  accountSlug: string,
  now: number,
): Promise<{ reason: string } | undefined> {
  return db
    .selectFrom("ended_sessions")
    .innerJoin("accounts", "accounts.id", "ended_sessions.account_id")
    .select("ended_sessions.reason")
    .where("ended_sessions.id_hash", "=", idHash)
    .where("accounts.slug", "=", accountSlug)
    .where("ended_sessions.expires_at", ">", now)
    .executeTakeFirst();
}

export async function deleteSessionsOfStaff(db: Executor, accountId: string, staffId: string): Promise<number> {
  const result = await db
    .deleteFrom("sessions")
    .where("account_id", "=", accountId)
    .where("staff_id", "=", staffId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
