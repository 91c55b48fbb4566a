import { sql, type InferResult, type Insertable } from "kysely";
import { preparedQuery, type Executor } from "../../db/database.js";
import type { SessionPrincipal } from "./session-principal.js";
import type { SessionsTable } from "./sessions.table.js";

/** An ended session's note lives no longer than this, whatever the session's own end. */
const ENDED_SESSION_NOTE_MAX_MS = 30 * 24 * 3600_000;

/** The columns a new session is written with (the challenge comes later, if ever). */
const NEW_SESSION_COLUMNS = [
  "id_hash",
  "account_id",
  "staff_id",
  "created_at",
  "last_seen_at",
  "idle_timeout_seconds",
  "expires_at",
  "stay_signed_in",
  "authenticated_at",
  "amr",
  "ip",
  "user_agent",
] as const satisfies ReadonlyArray<keyof SessionsTable>;

export type NewSessionRow = Required<Pick<Insertable<SessionsTable>, (typeof NEW_SESSION_COLUMNS)[number]>>;

/** Prepared once: every sign-in writes a session (docs/benchmarks.md). */
const insertSessionRow = preparedQuery(
  "insert_session",
  (db, session: NewSessionRow) =>
    db
      .insertInto("sessions")
      .values(Object.fromEntries(NEW_SESSION_COLUMNS.map((column) => [column, session[column]])) as NewSessionRow),
  (session) => NEW_SESSION_COLUMNS.map((column) => session[column]),
);

export async function insertSession(db: Executor, session: NewSessionRow): Promise<void> {
  await insertSessionRow(db, session);
}

/** The person's columns a request carries (SessionPrincipal): never the password hash. */
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
] as const satisfies ReadonlyArray<keyof SessionPrincipal>;

function sessionWithStaffQuery(db: Executor, idHash: string) {
  return db
    .selectFrom("sessions")
    .innerJoin("staff", "staff.id", "sessions.staff_id")
    .innerJoin("accounts", "accounts.id", "sessions.account_id")
    .select(PRINCIPAL_COLUMNS.map((column) => `staff.${column}` as const))
    .select(sql<number>`CASE WHEN staff.password_hash IS NULL THEN 0 ELSE 1 END`.as("has_password"))
    .select([
      "sessions.last_seen_at",
      "sessions.idle_timeout_seconds",
      "sessions.expires_at",
      "sessions.authenticated_at",
      "accounts.slug as account_slug",
      "accounts.name as account_name",
      "accounts.password_min_length as account_password_min_length",
      "accounts.require_two_factor as account_require_two_factor",
    ])
    .where("sessions.id_hash", "=", idHash);
}

type SessionWithStaff = InferResult<ReturnType<typeof sessionWithStaffQuery>>[number];

/** Compiled and prepared once per database: building and compiling the query cost more than running it. */
const sessionWithStaff = preparedQuery<[string], SessionWithStaff>(
  "session_with_staff",
  sessionWithStaffQuery,
  (idHash) => [idHash],
);

/** The session with its staff member and account, in one query: it runs on every request. */
export async function findSessionWithStaff(db: Executor, idHash: string): Promise<SessionWithStaff | undefined> {
  const [row] = await sessionWithStaff(db, idHash);
  return row;
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
