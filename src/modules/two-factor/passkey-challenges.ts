/**
 * WebAuthn challenges (W3C WebAuthn Level 3 §13.4.3): 32 random bytes the server hands out with
 * the options of a ceremony and expects back, signed, exactly once. A challenge waits on the row
 * of what asked for it — the pending sign-in (second step, passwordless sign-in) or the session
 * (registering a passkey, re-authenticating) — together with its expiry, and is taken by one
 * conditional UPDATE before the response is verified: whatever the outcome, it is spent, so a
 * replayed assertion finds nothing to match, on any node. A newer challenge replaces an older one.
 */
import type { Executor } from "../../db/database.js";
import type { Random } from "../../shared/random.js";

/** How long a challenge stays good: the browser's ceremony timeout, with room to spare. */
export const CHALLENGE_SECONDS = 5 * 60;
/** What the browser is told (a hint): two minutes to touch the authenticator. */
export const CEREMONY_TIMEOUT_MS = 2 * 60 * 1000;

export function newChallenge(random: Random): Uint8Array<ArrayBuffer> {
  return new Uint8Array(random.bytes(32));
}

/** The stored form: `<base64url challenge>.<expiry, epoch ms>` (base64url has no "."). */
export function storedChallenge(challenge: string, now: number): string {
  return `${challenge}.${now + CHALLENGE_SECONDS * 1000}`;
}

function live(value: string | null | undefined, now: number): string | undefined {
  if (!value) return undefined;
  const dot = value.lastIndexOf(".");
  const expiresAt = Number(value.slice(dot + 1));
  return dot > 0 && Number.isFinite(expiresAt) && expiresAt > now ? value.slice(0, dot) : undefined;
}

export async function putPendingChallenge(db: Executor, idHash: string, challenge: string, now: number): Promise<void> {
  await db
    .updateTable("pending_sign_ins")
    .set({ challenge: storedChallenge(challenge, now) })
    .where("id_hash", "=", idHash)
    .execute();
}

/** The pending sign-in's challenge, taken (once, whoever races); undefined if none is live. */
export async function takePendingChallenge(db: Executor, idHash: string, now: number): Promise<string | undefined> {
  const row = await db
    .selectFrom("pending_sign_ins")
    .select("challenge")
    .where("id_hash", "=", idHash)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  if (!row?.challenge) return undefined;
  const result = await db
    .updateTable("pending_sign_ins")
    .set({ challenge: null })
    .where("id_hash", "=", idHash)
    .where("challenge", "=", row.challenge)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? live(row.challenge, now) : undefined;
}

/** `sessions.challenge` (migration 0009): the session row is the session's, scoped by its account. */
export async function putSessionChallenge(
  db: Executor,
  session: { idHash: string; accountId: string },
  challenge: string,
  now: number,
): Promise<void> {
  await db
    .updateTable("sessions")
    .set({ challenge: storedChallenge(challenge, now) })
    .where("id_hash", "=", session.idHash)
    .where("account_id", "=", session.accountId)
    .execute();
}

/** The session's challenge, taken (once, whoever races); undefined if none is live. */
export async function takeSessionChallenge(
  db: Executor,
  session: { idHash: string; accountId: string },
  now: number,
): Promise<string | undefined> {
  const row = await db
    .selectFrom("sessions")
    .select("challenge")
    .where("id_hash", "=", session.idHash)
    .where("account_id", "=", session.accountId)
    .executeTakeFirst();
  if (!row?.challenge) return undefined;
  const result = await db
    .updateTable("sessions")
    .set({ challenge: null })
    .where("id_hash", "=", session.idHash)
    .where("challenge", "=", row.challenge)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? live(row.challenge, now) : undefined;
}
