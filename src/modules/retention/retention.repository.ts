/**
 * What the retention job deletes, table by table, in small batches: each statement deletes at
 * most `limit` rows picked by a sub-select, so a batch holds its locks briefly, and two nodes
 * running it at once only ever delete rows both agree are due (one of them finds fewer).
 */
import type { Executor } from "../../db/database.js";

/** Sessions past their absolute end or their idle timeout. */
export async function deleteEndedSessions(db: Executor, now: number, limit: number): Promise<number> {
  const result = await db
    .deleteFrom("sessions")
    .where("id_hash", "in", (eb) =>
      eb
        .selectFrom("sessions")
        .select("id_hash")
        .where((w) =>
          w.or([
            w("expires_at", "<=", now),
            w(w("last_seen_at", "+", w("idle_timeout_seconds", "*", 1000)), "<=", now),
          ]),
        )
        .limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Notes of why a session ended, once that session would have ended anyway (30 days at most). */
export async function deleteEndedSessionNotes(db: Executor, now: number, limit: number): Promise<number> {
  const result = await db
    .deleteFrom("ended_sessions")
    .where("id_hash", "in", (eb) =>
      eb.selectFrom("ended_sessions").select("id_hash").where("expires_at", "<=", now).limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteEndedSupportSessions(
  db: Executor,
  now: number,
  idleTimeoutMs: number,
  limit: number,
): Promise<number> {
  const result = await db
    .deleteFrom("support_sessions")
    .where("id_hash", "in", (eb) =>
      eb
        .selectFrom("support_sessions")
        .select("id_hash")
        .where((w) => w.or([w("expires_at", "<=", now), w("last_seen_at", "<=", now - idleTimeoutMs)]))
        .limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Reset links created before `before` (all long expired; the hourly caps count only newer ones). */
export async function deleteOldResetTokens(db: Executor, before: number, limit: number): Promise<number> {
  const result = await db
    .deleteFrom("password_reset_tokens")
    .where("id", "in", (eb) =>
      eb.selectFrom("password_reset_tokens").select("id").where("created_at", "<", before).limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Unlock and verification links that expired before `before`. */
export async function deleteOldStaffTokens(db: Executor, before: number, limit: number): Promise<number> {
  const result = await db
    .deleteFrom("staff_tokens")
    .where("id", "in", (eb) => eb.selectFrom("staff_tokens").select("id").where("expires_at", "<", before).limit(limit))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteOldIdempotencyKeys(db: Executor, before: number, limit: number): Promise<number> {
  const result = await db
    .deleteFrom("idempotency_keys")
    .where((eb) =>
      eb(
        eb.refTuple("account_id", "actor_id", "key"),
        "in",
        eb
          .selectFrom("idempotency_keys")
          .select(["account_id", "actor_id", "key"])
          .where("created_at", "<", before)
          .limit(limit)
          .$asTuple("account_id", "actor_id", "key"),
      ),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Messages delivered or given up before `before` (their bodies were erased then). */
export async function deleteFinishedMessages(db: Executor, before: number, limit: number): Promise<number> {
  const result = await db
    .deleteFrom("outbox_messages")
    .where("id", "in", (eb) =>
      eb
        .selectFrom("outbox_messages")
        .select("id")
        .where("status", "in", ["sent", "failed"])
        .where("created_at", "<", before)
        .limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Failure counters untouched since `before` — except locked ones (at the hard cap): a lock is
 * lifted by its person's unlock link or a new password, never by time.
 */
export async function deleteStaleLoginAttempts(db: Executor, before: number, limit: number): Promise<number> {
  const result = await db
    .deleteFrom("login_attempts")
    .where("subject", "in", (eb) =>
      eb
        .selectFrom("login_attempts")
        .select("subject")
        .where("updated_at", "<", before)
        .where((eb) => eb("failures", "<", eb.ref("max_failures")))
        .limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Sign-ins that never took their second step (5 minutes each). */
export async function deleteExpiredPendingSignIns(db: Executor, now: number, limit: number): Promise<number> {
  const result = await db
    .deleteFrom("pending_sign_ins")
    .where("id_hash", "in", (eb) =>
      eb.selectFrom("pending_sign_ins").select("id_hash").where("expires_at", "<=", now).limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteExpiredTrustedBrowsers(db: Executor, now: number, limit: number): Promise<number> {
  const result = await db
    .deleteFrom("trusted_browsers")
    .where("id_hash", "in", (eb) =>
      eb.selectFrom("trusted_browsers").select("id_hash").where("expires_at", "<=", now).limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Only when AUDIT_RETENTION_DAYS is set: audit events are otherwise kept for good. */
export async function deleteOldAuditEvents(db: Executor, before: number, limit: number): Promise<number> {
  const result = await db
    .deleteFrom("audit_events")
    .where("id", "in", (eb) => eb.selectFrom("audit_events").select("id").where("at", "<", before).limit(limit))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * The identity provider's expired sessions, interactions, grants, codes and tokens
 * (identity-provider/adapter.ts): oidc-provider never reads them again once past `expires_at`.
 */
export async function deleteExpiredOidcModels(db: Executor, now: number, limit: number): Promise<number> {
  const result = await db
    .deleteFrom("oidc_models")
    .where((eb) =>
      eb(
        eb.refTuple("kind", "id_hash"),
        "in",
        eb
          .selectFrom("oidc_models")
          .select(["kind", "id_hash"])
          .where("expires_at", "<=", now)
          .limit(limit)
          .$asTuple("kind", "id_hash"),
      ),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
