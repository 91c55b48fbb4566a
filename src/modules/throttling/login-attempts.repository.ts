/**
 * The hard cap on consecutive failed password evaluations (NIST SP 800-63B-4 §3.2.2), in the
 * database so that it holds across nodes and races. An attempt is reserved — counted as a
 * failure — before the password is evaluated, by one upsert that refuses past the cap; success
 * gives it back. The same statement runs for every subject, real or not.
 */
import { preparedQuery, type Executor } from "../../db/database.js";
import { sha256Hex } from "../../shared/hash.js";

export const MAX_CONSECUTIVE_FAILURES = 100;

/** Rows are keyed by the subject's SHA-256: one length for every subject, no login text stored. */
export const attemptKey = (subject: string) => sha256Hex(subject);

export type AttemptReservation =
  | { readonly reserved: true; /** Failures counted so far, this attempt included. */ readonly failures: number }
  | { readonly reserved: false };

/** `maxFailures` lowers the cap for subjects that guard more than one business (support agents). */
export async function reserveAttempt(
  db: Executor,
  subject: string,
  now: number,
  maxFailures = MAX_CONSECUTIVE_FAILURES,
): Promise<AttemptReservation> {
  const [row] = await reserve(db, attemptKey(subject), now, maxFailures);
  return row ? { reserved: true, failures: row.failures } : { reserved: false };
}

/** Prepared once: every password attempt runs it, whoever is named. */
const reserve = preparedQuery(
  "reserve_attempt",
  (db, key: string, now: number, maxFailures: number) =>
    db
      .insertInto("login_attempts")
      .values({ subject: key, failures: 1, max_failures: maxFailures, updated_at: now })
      .onConflict((oc) =>
        oc
          .column("subject")
          .doUpdateSet((eb) => ({
            failures: eb("login_attempts.failures", "+", 1),
            max_failures: maxFailures,
            updated_at: now,
          }))
          .where("login_attempts.failures", "<", maxFailures),
      )
      .returning("failures"),
  (key, now, maxFailures) => [key, 1, maxFailures, now, 1, maxFailures, now, maxFailures],
);

/** An attempt that was never evaluated (the hash was shed) doesn't count. */
export async function releaseAttempt(db: Executor, subject: string): Promise<void> {
  await db
    .updateTable("login_attempts")
    .set((eb) => ({ failures: eb("failures", "-", 1) }))
    .where("subject", "=", attemptKey(subject))
    .where("failures", ">", 0)
    .execute();
}

/** After a success, a password change or an unlock link: the subject starts afresh. */
export async function clearAttempts(db: Executor, subject: string): Promise<void> {
  await clear(db, attemptKey(subject));
}

const clear = preparedQuery(
  "clear_attempts",
  (db, key: string) => db.deleteFrom("login_attempts").where("subject", "=", key),
  (key) => [key],
);

export async function isLocked(db: Executor, subject: string): Promise<boolean> {
  const row = await db
    .selectFrom("login_attempts")
    .select(["failures", "max_failures"])
    .where("subject", "=", attemptKey(subject))
    .executeTakeFirst();
  return row !== undefined && row.failures >= row.max_failures;
}
