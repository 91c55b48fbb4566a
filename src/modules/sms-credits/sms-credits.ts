/**
 * SMS credits. The balance lives on the account row (CHECK sms_credits >= 0) and changes only
 * by one conditional UPDATE — "take one if at least one is left" — so however many requests
 * race, the balance never goes negative and each debit is one row in the append-only ledger,
 * written in the same transaction as the token and the message it pays for.
 */
import type { Kysely } from "kysely";
import type { Database, Executor } from "../../db/database.js";
import type { Clock } from "../../shared/clock.js";
import { decodeCursor, encodeCursor } from "../../shared/cursor.js";
import { DomainError } from "../../shared/errors.js";
import { newId, type Random } from "../../shared/random.js";
import { FORBIDDEN_CHARACTERS_HINT, hasForbiddenCharacters } from "../../shared/text.js";
import { recordAuditEvent, type AuditParty, type AuditSource } from "../audit/index.js";
import type { LedgerKind } from "./sms-credits.table.js";

export interface SmsCreditDeps {
  readonly clock: Clock;
  readonly random: Random;
}

export const MAX_GRANT = 100_000;

async function balanceOf(db: Executor, accountId: string): Promise<number> {
  const row = await db
    .selectFrom("accounts")
    .select("sms_credits")
    .where("id", "=", accountId)
    .executeTakeFirstOrThrow();
  return row.sms_credits;
}

async function appendLedger(
  db: Executor,
  deps: SmsCreditDeps,
  entry: {
    accountId: string;
    kind: LedgerKind;
    change: number;
    balanceAfter: number;
    reason: string;
    staffId?: string | null;
    outboxMessageId?: string | null;
    actorName?: string | null;
  },
): Promise<void> {
  const last = await db
    .selectFrom("sms_credit_ledger")
    .select((eb) => eb.fn.max("seq").as("seq"))
    .where("account_id", "=", entry.accountId)
    .executeTakeFirst();
  await db
    .insertInto("sms_credit_ledger")
    .values({
      id: newId(deps.random, "led"),
      account_id: entry.accountId,
      seq: Number(last?.seq ?? 0) + 1,
      at: deps.clock.now(),
      kind: entry.kind,
      change: entry.change,
      balance_after: entry.balanceAfter,
      reason: entry.reason,
      staff_id: entry.staffId ?? null,
      outbox_message_id: entry.outboxMessageId ?? null,
      actor_name: entry.actorName ?? null,
    })
    .execute();
}

/** Takes one credit or throws `insufficient_sms_credits`. Call in the transaction that sends. */
export async function debitOneCredit(
  tx: Executor,
  deps: SmsCreditDeps,
  input: {
    accountId: string;
    staffId: string;
    outboxMessageId: string;
    reason: string;
    actor: AuditParty;
    ip: string | null;
  },
): Promise<{ balanceAfter: number }> {
  const result = await tx
    .updateTable("accounts")
    .set((eb) => ({ sms_credits: eb("sms_credits", "-", 1) }))
    .where("id", "=", input.accountId)
    .where("sms_credits", ">=", 1)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    throw new DomainError(
      "insufficient_sms_credits",
      "There are no SMS credits left. Staffgate support can add credits to your account.",
    );
  }
  const balanceAfter = await balanceOf(tx, input.accountId);
  await appendLedger(tx, deps, {
    accountId: input.accountId,
    kind: "debit",
    change: -1,
    balanceAfter,
    reason: input.reason,
    staffId: input.staffId,
    outboxMessageId: input.outboxMessageId,
    actorName: input.actor.name,
  });
  await recordAuditEvent(tx, deps, {
    accountId: input.accountId,
    source: "office_portal",
    actor: input.actor,
    action: "sms_credits.debited",
    target: null,
    ip: input.ip,
    details: { change: -1, balanceAfter, reason: input.reason, messageId: input.outboxMessageId },
  });
  return { balanceAfter };
}

export async function grantCredits(
  db: Kysely<Database>,
  deps: SmsCreditDeps,
  input: {
    accountId: string;
    amount: number;
    reason: string;
    source: AuditSource;
    actor: AuditParty;
    ip?: string | null;
  },
): Promise<{ smsCredits: number }> {
  const fields: Record<string, string> = {};
  if (!Number.isInteger(input.amount) || input.amount < 1 || input.amount > MAX_GRANT) {
    fields["amount"] = `a whole number from 1 to ${MAX_GRANT}`;
  }
  // The reason shows in the business's ledger and audit log: checked as typed, before trimming.
  if (!input.reason.trim()) fields["reason"] = "required";
  else if (hasForbiddenCharacters(input.reason)) fields["reason"] = FORBIDDEN_CHARACTERS_HINT;
  if (Object.keys(fields).length > 0) throw new DomainError("validation_failed", undefined, { fields });
  return db.transaction().execute(async (tx) => {
    await tx
      .updateTable("accounts")
      .set((eb) => ({ sms_credits: eb("sms_credits", "+", input.amount) }))
      .where("id", "=", input.accountId)
      .execute();
    const balanceAfter = await balanceOf(tx, input.accountId);
    await appendLedger(tx, deps, {
      accountId: input.accountId,
      kind: "grant",
      change: input.amount,
      balanceAfter,
      reason: input.reason.trim(),
      actorName: input.actor.name,
    });
    await recordAuditEvent(tx, deps, {
      accountId: input.accountId,
      source: input.source,
      actor: input.actor,
      action: "sms_credits.granted",
      target: null,
      ip: input.ip ?? null,
      details: { change: input.amount, balanceAfter, reason: input.reason.trim() },
    });
    return { smsCredits: balanceAfter };
  });
}

/** Why a text was given up, as the outbox worker reports it (messaging's `GiveUpReason`). */
export type UndeliveredTextReason = "refused" | "not_accepted" | "unconfirmed";

const REFUND_REASONS: Record<Exclude<UndeliveredTextReason, "unconfirmed">, string> = {
  refused: "Text message refused by the SMS provider",
  not_accepted: "Text message not sent: the SMS provider has no record of it after its request timed out",
};

/**
 * What a text that was given up does to its credit. Refused, or confirmed never accepted (the
 * provider has no record of it when asked after the settle window): the credit comes back. If
 * nobody could say whether it went out, the credit is kept — the text may have been delivered
 * and paid for — and the ledger says so in a row that changes nothing.
 */
export async function settleCreditOfUndeliveredText(
  tx: Executor,
  deps: SmsCreditDeps,
  message: { id: string; account_id: string | null },
  reason: UndeliveredTextReason,
): Promise<boolean> {
  if (reason !== "unconfirmed") return refundCreditForMessage(tx, deps, message, REFUND_REASONS[reason]);
  const debit = await debitOf(tx, message);
  if (!debit || !message.account_id) return false;
  // Like every append, behind the balance row's lock: that keeps `seq` race-free.
  await tx
    .updateTable("accounts")
    .set((eb) => ({ sms_credits: eb.ref("sms_credits") }))
    .where("id", "=", message.account_id)
    .execute();
  const balanceAfter = await balanceOf(tx, message.account_id);
  await appendLedger(tx, deps, {
    accountId: message.account_id,
    kind: "unconfirmed",
    change: 0,
    balanceAfter,
    reason: "Credit kept: the SMS provider could not confirm whether this text was sent",
    staffId: debit.staff_id,
    outboxMessageId: message.id,
    actorName: "Staffgate",
  });
  return true;
}

/** The debit that paid for a message, unless it was already refunded or settled. */
async function debitOf(tx: Executor, message: { id: string; account_id: string | null }) {
  if (!message.account_id) return undefined;
  const entries = await tx
    .selectFrom("sms_credit_ledger")
    .select(["kind", "staff_id"])
    .where("account_id", "=", message.account_id)
    .where("outbox_message_id", "=", message.id)
    .execute();
  const debit = entries.find((entry) => entry.kind === "debit");
  if (!debit || entries.some((entry) => entry.kind === "refund" || entry.kind === "unconfirmed")) return undefined;
  return debit;
}

/**
 * Gives back the credit of a text that was never sent. Idempotent per message: a second call
 * finds the refund already in the ledger.
 */
export async function refundCreditForMessage(
  tx: Executor,
  deps: SmsCreditDeps,
  message: { id: string; account_id: string | null },
  reason: string = REFUND_REASONS.refused,
): Promise<boolean> {
  const debit = await debitOf(tx, message);
  if (!debit || !message.account_id) return false;
  await tx
    .updateTable("accounts")
    .set((eb) => ({ sms_credits: eb("sms_credits", "+", 1) }))
    .where("id", "=", message.account_id)
    .execute();
  const balanceAfter = await balanceOf(tx, message.account_id);
  await appendLedger(tx, deps, {
    accountId: message.account_id,
    kind: "refund",
    change: 1,
    balanceAfter,
    reason,
    staffId: debit.staff_id,
    outboxMessageId: message.id,
    actorName: "Staffgate",
  });
  await recordAuditEvent(tx, deps, {
    accountId: message.account_id,
    source: "system",
    actor: { type: "system", id: null, name: "Staffgate" },
    action: "sms_credits.refunded",
    target: null,
    details: { change: 1, balanceAfter, messageId: message.id, reason },
  });
  return true;
}

export interface LedgerEntry {
  readonly id: string;
  readonly at: string;
  readonly kind: LedgerKind;
  readonly change: number;
  readonly balance: number;
  readonly reason: string;
  readonly staffId?: string;
  readonly by: string | null;
}

export async function listLedger(
  db: Executor,
  accountId: string,
  query: { limit: number; cursor?: string },
): Promise<{ items: LedgerEntry[]; nextCursor: string | null }> {
  let select = db
    .selectFrom("sms_credit_ledger")
    .selectAll()
    .where("account_id", "=", accountId)
    .orderBy("seq", "desc")
    .limit(query.limit + 1);
  if (query.cursor) {
    const [seq] = decodeCursor<[number]>(query.cursor, ["number"]);
    select = select.where("seq", "<", seq);
  }
  const rows = await select.execute();
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      id: row.id,
      at: new Date(row.at).toISOString(),
      kind: row.kind,
      change: row.change,
      balance: row.balance_after,
      reason: row.reason,
      ...(row.staff_id ? { staffId: row.staff_id } : {}),
      by: row.actor_name,
    })),
    nextCursor: rows.length > query.limit && last ? encodeCursor([last.seq]) : null,
  };
}
