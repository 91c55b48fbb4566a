/**
 * Retention: a periodic job on every node deletes what has served its purpose — ended sessions,
 * used and expired links, idempotency keys past their window, delivered messages, stale failure
 * counters, expired trusted browsers and the identity provider's expired sessions and tokens;
 * audit events only when AUDIT_RETENTION_DAYS is set. It
 * deletes in small batches (retention.repository.ts), so it never holds a table for long, and
 * it is safe on several nodes at once. What it deleted is counted for /metrics.
 */
import type { Kysely } from "kysely";
import type { Database } from "../../db/database.js";
import type { Clock } from "../../shared/clock.js";
import {
  deleteEndedSessionNotes,
  deleteEndedSessions,
  deleteEndedSupportSessions,
  deleteExpiredOidcModels,
  deleteExpiredPendingSignIns,
  deleteExpiredTrustedBrowsers,
  deleteFinishedMessages,
  deleteOldAuditEvents,
  deleteOldIdempotencyKeys,
  deleteOldResetTokens,
  deleteOldStaffTokens,
  deleteStaleLoginAttempts,
} from "./retention.repository.js";

const DAY_MS = 24 * 3600_000;

/** How long each kind of row is kept once it has served its purpose. */
export const RETENTION = {
  /** Reset links: well past their 30 minutes and the hourly caps that count them. */
  resetTokensDays: 1,
  /** Unlock and verification links: a day past their expiry. */
  staffTokensDays: 1,
  /** A retry with the same Idempotency-Key within a day replays the first answer. */
  idempotencyKeysDays: 1,
  /** Delivered or given-up messages: a week, for "was it sent?" questions. */
  finishedMessagesDays: 7,
  /** Failure counters untouched this long start afresh (locked ones stay). */
  loginAttemptsDays: 30,
} as const;

export interface RetentionDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly auditRetentionDays: number | undefined;
  readonly supportIdleTimeoutMs: number;
}

export interface RetentionOptions {
  readonly batchSize?: number;
  /** Batches per kind per run, so one run stays short. */
  readonly maxBatchesPerRun?: number;
}

export type RetentionKind =
  | "sessions"
  | "ended_sessions"
  | "support_sessions"
  | "oidc_models"
  | "reset_tokens"
  | "staff_tokens"
  | "idempotency_keys"
  | "outbox_messages"
  | "login_attempts"
  | "trusted_browsers"
  | "pending_sign_ins"
  | "audit_events";

export interface RetentionJob {
  /** One pass over every kind; returns what it deleted. */
  runOnce(): Promise<Record<RetentionKind, number>>;
  /** Everything deleted since start, by kind (for /metrics). */
  totals(): Readonly<Record<RetentionKind, number>>;
}

export function createRetentionJob(deps: RetentionDeps, options: RetentionOptions = {}): RetentionJob {
  const batchSize = options.batchSize ?? 500;
  const maxBatches = options.maxBatchesPerRun ?? 20;
  const deleters: Record<RetentionKind, (now: number) => Promise<number>> = {
    sessions: (now) => deleteEndedSessions(deps.db, now, batchSize),
    ended_sessions: (now) => deleteEndedSessionNotes(deps.db, now, batchSize),
    support_sessions: (now) => deleteEndedSupportSessions(deps.db, now, deps.supportIdleTimeoutMs, batchSize),
    oidc_models: (now) => deleteExpiredOidcModels(deps.db, now, batchSize),
    reset_tokens: (now) => deleteOldResetTokens(deps.db, now - RETENTION.resetTokensDays * DAY_MS, batchSize),
    staff_tokens: (now) => deleteOldStaffTokens(deps.db, now - RETENTION.staffTokensDays * DAY_MS, batchSize),
    idempotency_keys: (now) =>
      deleteOldIdempotencyKeys(deps.db, now - RETENTION.idempotencyKeysDays * DAY_MS, batchSize),
    outbox_messages: (now) => deleteFinishedMessages(deps.db, now - RETENTION.finishedMessagesDays * DAY_MS, batchSize),
    login_attempts: (now) => deleteStaleLoginAttempts(deps.db, now - RETENTION.loginAttemptsDays * DAY_MS, batchSize),
    trusted_browsers: (now) => deleteExpiredTrustedBrowsers(deps.db, now, batchSize),
    pending_sign_ins: (now) => deleteExpiredPendingSignIns(deps.db, now, batchSize),
    audit_events: async (now) =>
      deps.auditRetentionDays === undefined
        ? 0
        : deleteOldAuditEvents(deps.db, now - deps.auditRetentionDays * DAY_MS, batchSize),
  };
  const kinds = Object.keys(deleters) as RetentionKind[];
  const totals = Object.fromEntries(kinds.map((kind) => [kind, 0])) as Record<RetentionKind, number>;

  return {
    async runOnce() {
      const now = deps.clock.now();
      const deleted = Object.fromEntries(kinds.map((kind) => [kind, 0])) as Record<RetentionKind, number>;
      for (const kind of kinds) {
        for (let batch = 0; batch < maxBatches; batch++) {
          const count = await deleters[kind](now);
          deleted[kind] += count;
          totals[kind] += count;
          if (count < batchSize) break;
        }
      }
      return deleted;
    },
    totals: () => totals,
  };
}
