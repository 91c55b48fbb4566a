/**
 * Unlock and email-verification links: like reset tokens, 256-bit random, stored as SHA-256,
 * bound to account, person and purpose, single use (one conditional UPDATE decides the winner),
 * and the newest link of a purpose supersedes older ones.
 */
import type { Executor } from "../../db/database.js";
import type { Clock } from "../../shared/clock.js";
import { sha256Hex } from "../../shared/hash.js";
import { newId, newToken, type Random } from "../../shared/random.js";
import type { StaffTokenPurpose } from "./staff-tokens.table.js";

export async function issueStaffToken(
  tx: Executor,
  deps: { clock: Clock; random: Random },
  input: {
    accountId: string;
    staffId: string;
    purpose: StaffTokenPurpose;
    lifetimeSeconds: number;
    email?: string;
  },
): Promise<{ token: string; expiresAt: number }> {
  const now = deps.clock.now();
  await revokeStaffTokens(tx, input.accountId, input.staffId, input.purpose, now);
  const token = newToken(deps.random, 32);
  const expiresAt = now + input.lifetimeSeconds * 1000;
  await tx
    .insertInto("staff_tokens")
    .values({
      id: newId(deps.random, "stk"),
      token_hash: sha256Hex(token),
      account_id: input.accountId,
      staff_id: input.staffId,
      purpose: input.purpose,
      email: input.email ?? null,
      created_at: now,
      expires_at: expiresAt,
      used_at: null,
      revoked_at: null,
    })
    .execute();
  return { token, expiresAt };
}

/** The live token behind a link of this purpose, or undefined (unknown, expired, used, revoked alike). */
export async function findUsableStaffToken(db: Executor, token: string, purpose: StaffTokenPurpose, now: number) {
  return db
    .selectFrom("staff_tokens")
    .selectAll()
    .where("token_hash", "=", sha256Hex(token))
    .where("purpose", "=", purpose)
    .where("used_at", "is", null)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
}

/**
 * The business a link of this purpose was issued for, whatever state the link is in now, or
 * undefined for a token never issued. Only for saying where to ask for a new link.
 */
export async function businessOfStaffToken(
  db: Executor,
  token: string,
  purpose: StaffTokenPurpose,
): Promise<{ slug: string; name: string } | undefined> {
  return db
    .selectFrom("staff_tokens")
    .innerJoin("accounts", "accounts.id", "staff_tokens.account_id")
    .select(["accounts.slug", "accounts.name"])
    .where("staff_tokens.token_hash", "=", sha256Hex(token))
    .where("staff_tokens.purpose", "=", purpose)
    .executeTakeFirst();
}

/** True for exactly one caller, however many race. */
export async function consumeStaffToken(db: Executor, tokenId: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable("staff_tokens")
    .set({ used_at: now })
    .where("id", "=", tokenId)
    .where("used_at", "is", null)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Ends a person's live links of one purpose, or of every purpose. Returns how many. */
export async function revokeStaffTokens(
  db: Executor,
  accountId: string,
  staffId: string,
  purpose: StaffTokenPurpose | "all",
  now: number,
): Promise<number> {
  let update = db
    .updateTable("staff_tokens")
    .set({ revoked_at: now })
    .where("account_id", "=", accountId)
    .where("staff_id", "=", staffId)
    .where("used_at", "is", null)
    .where("revoked_at", "is", null);
  if (purpose !== "all") update = update.where("purpose", "=", purpose);
  const result = await update.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
