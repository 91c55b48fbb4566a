/**
 * Server-side sessions (The Copenhagen Book, "Sessions"; OWASP ASVS V7). The cookie carries a
 * 256-bit random id; the database keeps only its SHA-256, so a leaked table signs nobody in.
 * Every request re-reads the session with its staff member and account, so an ended session,
 * a deactivated person or a withdrawn permission takes effect on every node at once.
 */
import type { Executor } from "../../db/database.js";
import type { Clock } from "../../shared/clock.js";
import { sha256Hex } from "../../shared/hash.js";
import { newToken, type Random } from "../../shared/random.js";
import type { StaffPrincipal } from "../staff/index.js";
import { isSessionExpired, newSessionTimes, shouldTouchLastSeen } from "./session-policy.js";
import {
  deleteSession,
  deleteSessionsOfStaff,
  findSessionWithStaff,
  insertSession,
  setSessionAuthenticatedAt,
  touchSession,
} from "./sessions.repository.js";

export interface SessionDeps {
  readonly clock: Clock;
  readonly random: Random;
}

export interface NewSession {
  /** Goes into the cookie and nowhere else. */
  readonly token: string;
  readonly staySignedIn: boolean;
  readonly expiresAt: number;
}

export interface SessionAccount {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly password_min_length: number;
  readonly require_two_factor: number;
}

export interface ResolvedSession {
  readonly idHash: string;
  /** When the person last proved who they are in this session (sudo mode counts from it). */
  readonly authenticatedAt: number;
  readonly account: SessionAccount;
  readonly staff: StaffPrincipal;
}

export async function createSession(
  db: Executor,
  deps: SessionDeps,
  input: {
    accountId: string;
    staffId: string;
    staySignedIn: boolean;
    ip: string | null;
    userAgent: string | null;
    /** RFC 8176 methods the person proved ("pwd", "otp", "hwk"). */
    amr?: readonly string[];
  },
): Promise<NewSession> {
  const token = newToken(deps.random, 32);
  const now = deps.clock.now();
  const times = newSessionTimes(now, input.staySignedIn);
  await insertSession(db, {
    id_hash: sha256Hex(token),
    account_id: input.accountId,
    staff_id: input.staffId,
    created_at: now,
    last_seen_at: times.lastSeenAt,
    idle_timeout_seconds: times.idleTimeoutSeconds,
    expires_at: times.expiresAt,
    stay_signed_in: input.staySignedIn ? 1 : 0,
    authenticated_at: now,
    amr: (input.amr ?? ["pwd"]).join(","),
    ip: input.ip,
    user_agent: input.userAgent?.slice(0, 512) ?? null,
  });
  return { token, staySignedIn: input.staySignedIn, expiresAt: times.expiresAt };
}

/**
 * The live session behind `token` for the account `accountSlug`, or undefined. A session of
 * another account, an expired one, or one whose staff member is inactive is not valid.
 */
export async function resolveSession(
  db: Executor,
  deps: SessionDeps,
  token: string,
  accountSlug: string,
): Promise<ResolvedSession | undefined> {
  const idHash = sha256Hex(token);
  const row = await findSessionWithStaff(db, idHash);
  if (!row) return undefined;
  const now = deps.clock.now();
  const times = {
    lastSeenAt: row.last_seen_at,
    idleTimeoutSeconds: row.idle_timeout_seconds,
    expiresAt: row.expires_at,
  };
  if (isSessionExpired(times, now)) {
    await deleteSession(db, idHash);
    return undefined;
  }
  if (row.account_slug !== accountSlug || row.status !== "active") return undefined;
  if (shouldTouchLastSeen(times, now)) await touchSession(db, idHash, now);
  const {
    id_hash: _idHash,
    last_seen_at: _lastSeen,
    idle_timeout_seconds: _idle,
    expires_at: _expires,
    stay_signed_in: _stay,
    authenticated_at,
    account_slug,
    account_name,
    account_password_min_length,
    account_require_two_factor,
    ...staff
  } = row;
  return {
    idHash,
    authenticatedAt: authenticated_at ?? 0,
    account: {
      id: staff.account_id,
      slug: account_slug,
      name: account_name,
      password_min_length: account_password_min_length,
      require_two_factor: account_require_two_factor,
    },
    staff,
  };
}

export async function endSession(db: Executor, token: string): Promise<void> {
  await deleteSession(db, sha256Hex(token));
}

/** The session's person just proved who they are again: sudo mode for the next 10 minutes. */
export async function markSessionAuthenticated(db: Executor, token: string, now: number): Promise<void> {
  await setSessionAuthenticatedAt(db, sha256Hex(token), now);
}

/** Ends every session of one staff member, on every node: they are checked on each request. */
export async function revokeAllSessionsOfStaff(db: Executor, accountId: string, staffId: string): Promise<number> {
  return deleteSessionsOfStaff(db, accountId, staffId);
}
