/**
 * Password-reset tokens (OWASP Forgot Password Cheat Sheet; The Copenhagen Book, "Password
 * reset"): 256-bit random, stored as SHA-256, single use, bound to account, staff member,
 * purpose and channel. A token is consumed by one conditional UPDATE whose row count decides
 * the single winner, inside the transaction that writes the new password.
 */
import type { Executor } from "../../db/database.js";
import type { Clock } from "../../shared/clock.js";
import { sha256Hex } from "../../shared/hash.js";
import { newId, newToken, type Random } from "../../shared/random.js";
import type { ResetChannel, ResetPurpose } from "./reset-tokens.table.js";

export interface IssuedResetToken {
  /** Goes into the link and nowhere else. */
  readonly token: string;
  readonly expiresAt: number;
}

/** Issues a token and ends every older one of the same person: the newest link wins. */
export async function issueResetToken(
  tx: Executor,
  deps: { clock: Clock; random: Random },
  input: {
    accountId: string;
    staffId: string;
    purpose: ResetPurpose;
    channel: ResetChannel;
    lifetimeSeconds: number;
    requestedIp: string | null;
  },
): Promise<IssuedResetToken> {
  const now = deps.clock.now();
  await revokeResetTokensOfStaff(tx, input.accountId, input.staffId, now);
  const token = newToken(deps.random, 32);
  const expiresAt = now + input.lifetimeSeconds * 1000;
  await tx
    .insertInto("password_reset_tokens")
    .values({
      id: newId(deps.random, "rst"),
      token_hash: sha256Hex(token),
      account_id: input.accountId,
      staff_id: input.staffId,
      purpose: input.purpose,
      channel: input.channel,
      created_at: now,
      expires_at: expiresAt,
      used_at: null,
      revoked_at: null,
      requested_ip: input.requestedIp,
    })
    .execute();
  return { token, expiresAt };
}

/** The live token behind a link, or undefined (unknown, expired, used or superseded alike). */
export async function findUsableResetToken(db: Executor, token: string, now: number) {
  return db
    .selectFrom("password_reset_tokens")
    .selectAll()
    .where("token_hash", "=", sha256Hex(token))
    .where("used_at", "is", null)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
}

/**
 * The business a reset link was issued for, whatever state the link is in now (expired, used,
 * replaced), or undefined for a token never issued. Only for saying where to ask for a new link.
 */
export async function businessOfResetToken(
  db: Executor,
  token: string,
): Promise<{ slug: string; name: string } | undefined> {
  return db
    .selectFrom("password_reset_tokens")
    .innerJoin("accounts", "accounts.id", "password_reset_tokens.account_id")
    .select(["accounts.slug", "accounts.name"])
    .where("password_reset_tokens.token_hash", "=", sha256Hex(token))
    .executeTakeFirst();
}

/** True for exactly one caller, however many race: the UPDATE re-checks every condition. */
export async function consumeResetToken(db: Executor, tokenId: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable("password_reset_tokens")
    .set({ used_at: now })
    .where("id", "=", tokenId)
    .where("used_at", "is", null)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Ends a person's live reset links: every one, or only those sent by one channel. */
export async function revokeResetTokensOfStaff(
  db: Executor,
  accountId: string,
  staffId: string,
  now: number,
  channel?: ResetChannel,
): Promise<number> {
  let update = db
    .updateTable("password_reset_tokens")
    .set({ revoked_at: now })
    .where("account_id", "=", accountId)
    .where("staff_id", "=", staffId)
    .where("used_at", "is", null)
    .where("revoked_at", "is", null);
  if (channel) update = update.where("channel", "=", channel);
  const result = await update.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** How many Forgot Password links the business sent after `since`: the per-business cap. */
export async function countForgotPasswordLinksSince(db: Executor, accountId: string, since: number): Promise<number> {
  const row = await db
    .selectFrom("password_reset_tokens")
    .select((eb) => eb.fn.countAll<number | string>().as("count"))
    .where("account_id", "=", accountId)
    .where("purpose", "=", "forgot_password")
    .where("created_at", ">", since)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** How many links this person was sent after `since`: the per-person cap on reset emails. */
export async function countResetTokensSince(
  db: Executor,
  accountId: string,
  staffId: string,
  since: number,
): Promise<number> {
  const row = await db
    .selectFrom("password_reset_tokens")
    .select((eb) => eb.fn.countAll<number | string>().as("count"))
    .where("account_id", "=", accountId)
    .where("staff_id", "=", staffId)
    .where("created_at", ">", since)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
