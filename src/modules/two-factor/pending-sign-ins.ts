/**
 * A sign-in between its password and its second step: a row with a state and an expiry (5
 * minutes), reached by its own cookie, good for nothing but the second step (or enrolling the
 * first factor when the business requires two-factor). Only its SHA-256 is stored; the step that
 * completes it consumes it — one winner, however many race.
 *
 * ```mermaid
 * stateDiagram-v2
 *   [*] --> Pending: right password, second step due
 *   Pending --> SignedIn: code, recovery code or passkey (consumed)
 *   Pending --> Pending: wrong code (throttled)
 *   Pending --> [*]: 5 minutes, a new password, deactivation
 * ```
 */
import type { Executor } from "../../db/database.js";
import type { Clock } from "../../shared/clock.js";
import { sha256Hex } from "../../shared/hash.js";
import { newToken, type Random } from "../../shared/random.js";
import type { PendingSignInRow } from "./two-factor.table.js";

export const PENDING_SIGN_IN_SECONDS = 5 * 60;

export async function createPendingSignIn(
  db: Executor,
  deps: { clock: Clock; random: Random },
  input: {
    accountId: string;
    staffId: string | null;
    staySignedIn: boolean;
    enrollmentRequired: boolean;
    amr: readonly string[];
    /** A WebAuthn challenge, in its stored form (passkey-challenges.ts, `storedChallenge`). */
    challenge?: string;
  },
): Promise<{ token: string; expiresAt: number }> {
  const now = deps.clock.now();
  const token = newToken(deps.random, 32);
  const expiresAt = now + PENDING_SIGN_IN_SECONDS * 1000;
  await db
    .insertInto("pending_sign_ins")
    .values({
      id_hash: sha256Hex(token),
      account_id: input.accountId,
      staff_id: input.staffId,
      stay_signed_in: input.staySignedIn ? 1 : 0,
      enrollment_required: input.enrollmentRequired ? 1 : 0,
      amr: input.amr.join(","),
      challenge: input.challenge ?? null,
      created_at: now,
      expires_at: expiresAt,
    })
    .execute();
  return { token, expiresAt };
}

/** The live pending sign-in behind a cookie, for this business; undefined otherwise. */
export async function findPendingSignIn(
  db: Executor,
  token: string,
  accountId: string,
  now: number,
): Promise<PendingSignInRow | undefined> {
  return db
    .selectFrom("pending_sign_ins")
    .selectAll()
    .where("id_hash", "=", sha256Hex(token))
    .where("account_id", "=", accountId)
    .where("expires_at", ">", now)
    .executeTakeFirst();
}

/** Ends it: true for exactly one caller. */
export async function consumePendingSignIn(db: Executor, idHash: string, now: number): Promise<boolean> {
  const result = await db
    .deleteFrom("pending_sign_ins")
    .where("id_hash", "=", idHash)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/**
 * Deletes a few expired pending sign-ins. Passwordless sign-in makes one before anyone is known,
 * so whoever makes one sweeps a few old ones: the table holds about 5 minutes' worth.
 */
export async function deleteExpiredPendingSignIns(db: Executor, now: number, limit: number): Promise<number> {
  const result = await db
    .deleteFrom("pending_sign_ins")
    .where("id_hash", "in", (eb) =>
      eb.selectFrom("pending_sign_ins").select("id_hash").where("expires_at", "<=", now).limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
