import type { Executor } from "../../db/database.js";
import type { LegacyOutboxStatus, OutboxChannel, OutboxMessageRow, OutboxStatus } from "./outbox.table.js";

/** Waiting for a (next) attempt, in this version's state and the one older rows may still have. */
const WAITING: OutboxStatus[] = ["queued", "pending"];
/** Claimed by a worker, likewise. */
const IN_FLIGHT: OutboxStatus[] = ["delivering", "sending"];

export interface NewOutboxMessage {
  readonly id: string;
  readonly accountId: string | null;
  readonly channel: OutboxChannel;
  readonly recipient: string;
  readonly template: string;
  readonly subject: string;
  /** Sealed by the caller. */
  readonly sealedText: string;
  /** Sealed by the caller. */
  readonly sealedHtml: string;
  readonly maxAttempts: number;
  readonly now: number;
}

export async function insertOutboxMessage(db: Executor, message: NewOutboxMessage): Promise<void> {
  await db
    .insertInto("outbox_messages")
    .values({
      id: message.id,
      account_id: message.accountId,
      channel: message.channel,
      recipient: message.recipient,
      template: message.template,
      subject: message.subject,
      text_body: message.sealedText,
      html_body: message.sealedHtml,
      status: "queued",
      max_attempts: message.maxAttempts,
      next_attempt_at: message.now,
      claimed_by: null,
      claimed_until: null,
      last_error: null,
      provider_message_id: null,
      created_at: message.now,
      sent_at: null,
    })
    .execute();
}

type ClaimOptions = { dialect: "sqlite" | "postgres"; workerId: string; now: number; leaseMs: number; limit: number };

/**
 * Claims up to `limit` due messages for one worker with a lease. On PostgreSQL the inner SELECT
 * locks with FOR UPDATE SKIP LOCKED, so workers on several nodes never claim the same row; on
 * SQLite the single UPDATE is atomic on its own. A message whose lease ran out (its worker died)
 * is due again — except a text whose attempt had begun: it may have reached the provider, so it
 * is settled by asking (see `markInterruptedTextsUncertain`), never sent blindly again.
 */
export async function claimDueMessages(db: Executor, options: ClaimOptions): Promise<OutboxMessageRow[]> {
  let due = db
    .selectFrom("outbox_messages")
    .select("id")
    .where((eb) =>
      eb.or([
        eb.and([eb("status", "in", WAITING), eb("next_attempt_at", "<=", options.now)]),
        eb.and([
          eb("status", "in", IN_FLIGHT),
          eb("claimed_until", "<=", options.now),
          eb.or([eb("channel", "!=", "sms"), eb("attempt_started_at", "is", null)]),
        ]),
      ]),
    )
    .orderBy("next_attempt_at")
    .limit(options.limit);
  if (options.dialect === "postgres") due = due.forUpdate().skipLocked();
  return db
    .updateTable("outbox_messages")
    .set((eb) => ({
      status: "delivering",
      attempts: eb("attempts", "+", 1),
      claimed_by: options.workerId,
      claimed_until: options.now + options.leaseMs,
      attempt_started_at: null,
    }))
    .where("id", "in", due)
    .returningAll()
    .execute();
}

/**
 * Marks the moment a message is handed to its provider, renewing the claim's lease for this one
 * attempt. False when this worker no longer holds the claim (its lease ran out while earlier
 * messages of the batch were sent, and another worker may have it): it must not send then.
 */
export async function markAttemptStarted(
  db: Executor,
  id: string,
  workerId: string,
  options: { now: number; leaseMs: number },
): Promise<boolean> {
  const result = await db
    .updateTable("outbox_messages")
    .set({ attempt_started_at: options.now, claimed_until: options.now + options.leaseMs })
    .where("id", "=", id)
    .where("claimed_by", "=", workerId)
    .where("status", "=", "delivering")
    .where("claimed_until", ">", options.now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Only the worker holding the claim may settle a message, from the state it claimed it in.
 * Bodies are erased: they may hold a link.
 */
export async function markMessageSent(
  db: Executor,
  id: string,
  workerId: string,
  now: number,
  providerMessageId: string | null,
  from: "delivering" | "uncertain" = "delivering",
): Promise<boolean> {
  const result = await db
    .updateTable("outbox_messages")
    .set({
      status: "sent",
      sent_at: now,
      provider_message_id: providerMessageId,
      text_body: "",
      html_body: "",
      claimed_by: null,
      claimed_until: null,
      last_error: null,
    })
    .where("id", "=", id)
    .where("claimed_by", "=", workerId)
    .where("status", "=", from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * A failed attempt: queued again at `retryAt`, or given up (`null`, bodies erased). Only for
 * attempts that certainly delivered nothing; the attempt is over either way.
 */
export async function markMessageAttemptFailed(
  db: Executor,
  id: string,
  workerId: string,
  outcome: { error: string; retryAt: number | null },
  from: "delivering" | "uncertain" = "delivering",
): Promise<boolean> {
  const { retryAt } = outcome;
  const result = await db
    .updateTable("outbox_messages")
    .set({
      status: retryAt === null ? "failed" : "queued",
      last_error: outcome.error.slice(0, 1000),
      claimed_by: null,
      claimed_until: null,
      attempt_started_at: null,
      ...(retryAt === null ? { text_body: "", html_body: "" } : { next_attempt_at: retryAt }),
    })
    .where("id", "=", id)
    .where("claimed_by", "=", workerId)
    .where("status", "=", from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * The attempt may have reached the provider and nobody knows: the message waits, unclaimed and
 * with its sealed body (to recognise it by), until `checkAt`, when it is looked up.
 */
export async function markMessageUncertain(
  db: Executor,
  id: string,
  workerId: string,
  outcome: { error: string; now: number; checkAt: number },
): Promise<boolean> {
  const result = await db
    .updateTable("outbox_messages")
    .set((eb) => ({
      status: "uncertain",
      uncertain_since: eb.fn.coalesce("attempt_started_at", eb.val(outcome.now)),
      last_error: outcome.error.slice(0, 1000),
      claimed_by: null,
      claimed_until: null,
      next_attempt_at: outcome.checkAt,
    }))
    .where("id", "=", id)
    .where("claimed_by", "=", workerId)
    .where("status", "=", "delivering")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Texts whose claim ran out while an attempt was under way (the worker was killed, or lost the
 * database before it could record the outcome) become uncertain, to be looked up. One
 * conditional UPDATE: any number of nodes may run it at once.
 */
export async function markInterruptedTextsUncertain(db: Executor, now: number): Promise<number> {
  const result = await db
    .updateTable("outbox_messages")
    .set((eb) => ({
      status: "uncertain",
      uncertain_since: eb.ref("attempt_started_at"),
      last_error: "the attempt was interrupted before its outcome was recorded",
      claimed_by: null,
      claimed_until: null,
      next_attempt_at: now,
    }))
    .where("status", "in", IN_FLIGHT)
    .where("channel", "=", "sms")
    .where("claimed_until", "<=", now)
    .where("attempt_started_at", "is not", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Claims uncertain messages due for a look-up. The claim is a lease, as for delivery; it also
 * moves `next_attempt_at` past the lease, so no other worker picks the row while it is looked up.
 */
export async function claimUncertainMessages(db: Executor, options: ClaimOptions): Promise<OutboxMessageRow[]> {
  let due = db
    .selectFrom("outbox_messages")
    .select("id")
    .where("status", "=", "uncertain")
    .where("next_attempt_at", "<=", options.now)
    .orderBy("next_attempt_at")
    .limit(options.limit);
  if (options.dialect === "postgres") due = due.forUpdate().skipLocked();
  return db
    .updateTable("outbox_messages")
    .set({
      claimed_by: options.workerId,
      claimed_until: options.now + options.leaseMs,
      next_attempt_at: options.now + options.leaseMs,
    })
    .where("id", "in", due)
    .where("status", "=", "uncertain")
    .returningAll()
    .execute();
}

/** Not found yet, within the settle window: looked up again at `checkAt`. */
export async function recheckUncertainMessage(
  db: Executor,
  id: string,
  workerId: string,
  outcome: { note: string; checkAt: number },
): Promise<boolean> {
  const result = await db
    .updateTable("outbox_messages")
    .set({ claimed_by: null, claimed_until: null, next_attempt_at: outcome.checkAt, last_error: outcome.note })
    .where("id", "=", id)
    .where("claimed_by", "=", workerId)
    .where("status", "=", "uncertain")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Messages per state; rows in the older states count with their new names. */
export async function countMessagesByStatus(
  db: Executor,
): Promise<Record<Exclude<OutboxStatus, LegacyOutboxStatus>, number>> {
  const rows = await db
    .selectFrom("outbox_messages")
    .select(["status", (eb) => eb.fn.countAll<number | string>().as("count")])
    .groupBy("status")
    .execute();
  const counts = { queued: 0, delivering: 0, uncertain: 0, sent: 0, failed: 0 };
  const current = { pending: "queued", sending: "delivering" } as const;
  for (const row of rows) {
    const status = row.status === "pending" || row.status === "sending" ? current[row.status] : row.status;
    counts[status] += Number(row.count);
  }
  return counts;
}

/** Messages of one template sent to one recipient since `since`: caps notices per person. */
export async function countMessagesSince(
  db: Executor,
  filter: { accountId: string; template: string; recipient: string; since: number },
): Promise<number> {
  const row = await db
    .selectFrom("outbox_messages")
    .select((eb) => eb.fn.countAll<number | string>().as("count"))
    .where("account_id", "=", filter.accountId)
    .where("template", "=", filter.template)
    .where("recipient", "=", filter.recipient)
    .where("created_at", ">", filter.since)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
