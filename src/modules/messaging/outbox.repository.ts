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

/**
 * Claims up to `limit` due messages for one worker with a lease. On PostgreSQL the inner SELECT
 * locks with FOR UPDATE SKIP LOCKED, so workers on several nodes never claim the same row; on
 * SQLite the single UPDATE is atomic on its own. A message whose lease ran out (its worker died)
 * is due again.
 */
export async function claimDueMessages(
  db: Executor,
  options: { dialect: "sqlite" | "postgres"; workerId: string; now: number; leaseMs: number; limit: number },
): Promise<OutboxMessageRow[]> {
  let due = db
    .selectFrom("outbox_messages")
    .select("id")
    .where((eb) =>
      eb.or([
        eb.and([eb("status", "in", WAITING), eb("next_attempt_at", "<=", options.now)]),
        eb.and([eb("status", "in", IN_FLIGHT), eb("claimed_until", "<=", options.now)]),
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
    }))
    .where("id", "in", due)
    .returningAll()
    .execute();
}

/** Only the worker holding the claim may settle a message. Bodies are erased: they may hold a link. */
export async function markMessageSent(
  db: Executor,
  id: string,
  workerId: string,
  now: number,
  providerMessageId: string | null,
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
    .where("status", "=", "delivering")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markMessageAttemptFailed(
  db: Executor,
  id: string,
  workerId: string,
  outcome: { error: string; retryAt: number | null },
): Promise<boolean> {
  const { retryAt } = outcome;
  const result = await db
    .updateTable("outbox_messages")
    .set({
      status: retryAt === null ? "failed" : "queued",
      last_error: outcome.error.slice(0, 1000),
      claimed_by: null,
      claimed_until: null,
      ...(retryAt === null ? { text_body: "", html_body: "" } : { next_attempt_at: retryAt }),
    })
    .where("id", "=", id)
    .where("claimed_by", "=", workerId)
    .where("status", "=", "delivering")
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
  const counts = { queued: 0, delivering: 0, sent: 0, failed: 0 };
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
