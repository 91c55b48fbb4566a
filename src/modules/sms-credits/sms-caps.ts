/**
 * Caps on texts: so many to one person, and so many from one business, per hour
 * (SMS_PER_PERSON_PER_HOUR, default 3; SMS_PER_BUSINESS_PER_HOUR, default 20). Each text charged
 * is one debit in the ledger, refunded later or not, so the ledger's last hour is what counts.
 *
 * Exact across nodes: the caller counts in the transaction that will charge for the text, after
 * locking the business's account row (accounts' `lockAccountById`). Texts of one business are
 * then charged one at a time on every node — on PostgreSQL the second transaction waits for the
 * row and, under READ COMMITTED, its next statement sees the first one's debit; SQLite runs one
 * writer at a time — so no two requests can both see "2 of 3" and both send.
 */
import type { Executor } from "../../db/database.js";
import { DomainError } from "../../shared/errors.js";

export const HOUR_MS = 60 * 60 * 1000;

export interface SmsCaps {
  readonly perPersonPerHour: number;
  readonly perBusinessPerHour: number;
}

/** When the oldest of the last `limit` debits leaves the hour, or undefined while under the cap. */
async function capFreesAt(
  tx: Executor,
  filter: { accountId: string; staffId?: string; now: number; limit: number },
): Promise<number | undefined> {
  let query = tx
    .selectFrom("sms_credit_ledger")
    .select("at")
    .where("account_id", "=", filter.accountId)
    .where("kind", "=", "debit")
    .where("at", ">", filter.now - HOUR_MS);
  if (filter.staffId !== undefined) query = query.where("staff_id", "=", filter.staffId);
  const recent = await query.orderBy("at", "desc").limit(filter.limit).execute();
  const oldest = recent[filter.limit - 1];
  return oldest === undefined ? undefined : oldest.at + HOUR_MS;
}

/**
 * Throws `too_many_attempts` (with the seconds until a text may go) when one more text to this
 * person, or from this business, would pass a cap. Call with the account row locked, in the
 * transaction that charges; a refusal rolls it back, so nothing is charged or sent.
 */
export async function requireTextAllowance(
  tx: Executor,
  input: { accountId: string; staffId: string; now: number; caps: SmsCaps },
): Promise<void> {
  const { accountId, staffId, now, caps } = input;
  const personFreesAt = await capFreesAt(tx, { accountId, staffId, now, limit: caps.perPersonPerHour });
  const businessFreesAt = await capFreesAt(tx, { accountId, now, limit: caps.perBusinessPerHour });
  if (personFreesAt === undefined && businessFreesAt === undefined) return;
  const freesAt = Math.max(personFreesAt ?? 0, businessFreesAt ?? 0);
  const retryAfterSeconds = Math.max(1, Math.ceil((freesAt - now) / 1000));
  const minutes = Math.ceil(retryAfterSeconds / 60);
  const wait = `Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
  const [scope, message] =
    personFreesAt !== undefined
      ? [
          "person",
          `This person has been sent ${caps.perPersonPerHour} texts in the last hour, the most allowed. ${wait}`,
        ]
      : [
          "business",
          `This business has sent ${caps.perBusinessPerHour} texts in the last hour, the most allowed. ${wait}`,
        ];
  throw new DomainError(
    "too_many_attempts",
    `${message} Nothing was charged.`,
    { scope, limitPerHour: scope === "person" ? caps.perPersonPerHour : caps.perBusinessPerHour },
    retryAfterSeconds,
  );
}
