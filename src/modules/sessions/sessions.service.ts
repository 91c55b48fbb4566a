/**
 * Server-side sessions (The Copenhagen Book, "Sessions"; OWASP ASVS V7). The cookie carries a
 * 256-bit random id; the database keeps only its SHA-256, so a leaked table signs nobody in.
 * Every request re-reads the session with its staff member and account, so an ended session,
 * a deactivated person or a withdrawn permission takes effect on every node at once.
 */
import type { SignedOutReason } from "../../contract/signed-out-reasons.js";
import type { Executor } from "../../db/database.js";
import type { Clock } from "../../shared/clock.js";
import { sha256Hex } from "../../shared/hash.js";
import { newToken, type Random } from "../../shared/random.js";
import type { SessionPrincipal } from "./session-principal.js";
import { isSessionExpired, newSessionTimes, shouldTouchLastSeen } from "./session-policy.js";
import {
  deleteSession,
  deleteSessionsOfStaff,
  findEndedSession,
  findSessionWithStaff,
  insertSession,
  noteEndedSessionsOfStaff,
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
  readonly staff: SessionPrincipal;
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
  return resolveLiveSession(db, deps, token, (slug) => slug === accountSlug);
}

/**
 * The live session behind `token`, whichever business it is of: forward auth's request names no
 * business, and its answer says which one the session is of. The same rules hold otherwise.
 */
export async function resolveSessionOfAnyAccount(
  db: Executor,
  deps: SessionDeps,
  token: string,
): Promise<ResolvedSession | undefined> {
  return resolveLiveSession(db, deps, token, () => true);
}

async function resolveLiveSession(
  db: Executor,
  deps: SessionDeps,
  token: string,
  acceptsAccount: (slug: string) => boolean,
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
  if (!acceptsAccount(row.account_slug) || row.status !== "active") return undefined;
  if (shouldTouchLastSeen(times, now)) await touchSession(db, idHash, now);
  // Named one by one: copying "the rest" of a 24-column row cost ~5 % of a GET /me (docs/benchmarks.md).
  const staff: SessionPrincipal = {
    id: row.id,
    account_id: row.account_id,
    username: row.username,
    first_name: row.first_name,
    last_name: row.last_name,
    email: row.email,
    pending_email: row.pending_email,
    email_verified: row.email_verified,
    mobile_phone: row.mobile_phone,
    sms_opt_in: row.sms_opt_in,
    status: row.status,
    is_owner: row.is_owner,
    admin_full_access: row.admin_full_access,
    permissions: row.permissions,
    must_change_password: row.must_change_password,
    has_password: row.has_password,
  };
  return {
    idHash,
    authenticatedAt: row.authenticated_at ?? 0,
    account: {
      id: row.account_id,
      slug: row.account_slug,
      name: row.account_name,
      password_min_length: row.account_password_min_length,
      require_two_factor: row.account_require_two_factor,
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

/** Why sessions end, and when: a browser that still holds one is told why (`whySessionEnded`). */
export interface SessionEnd {
  readonly reason: SignedOutReason;
  readonly at: number;
}

/** Ends every session of one staff member, on every node: they are checked on each request. */
export async function revokeAllSessionsOfStaff(
  db: Executor,
  accountId: string,
  staffId: string,
  ended: SessionEnd,
): Promise<number> {
  await noteEndedSessionsOfStaff(db, accountId, staffId, ended.reason, ended.at);
  await runSignOutHook(db, accountId, staffId);
  return deleteSessionsOfStaff(db, accountId, staffId);
}

/**
 * Work that belongs in the transaction that signs a person out (their sessions end, or they
 * sign out): the identity provider forgets them and tells the apps they used
 * (identity-provider/sign-out-everywhere.ts). The composition root registers it, so that this
 * module, below the identity provider, needn't know it.
 */
export type SignOutHook = (tx: Executor, person: { accountId: string; staffId: string }) => Promise<void>;

/**
 * One hook per database (several runtimes can share a process: tests, two nodes). Kysely gives a
 * database and every transaction opened from it the same dialect adapter, so the adapter names
 * the database whichever executor a caller holds.
 */
const signOutHooks = new WeakMap<object, SignOutHook>();

export function onSignOut(db: Executor, hook: SignOutHook): void {
  signOutHooks.set(db.getExecutor().adapter, hook);
}

/** Runs the registered hook, if any, in the caller's transaction. */
export async function runSignOutHook(tx: Executor, accountId: string, staffId: string): Promise<void> {
  await signOutHooks.get(tx.getExecutor().adapter)?.(tx, { accountId, staffId });
}

/**
 * Why the session behind `token` was ended by a change, if it was, lately, in this account.
 * Asked only after the cookie matched no live session, so signed-in requests never pay for it.
 */
export async function whySessionEnded(
  db: Executor,
  token: string,
  accountSlug: string,
  now: number,
): Promise<SignedOutReason | undefined> {
  const ended = await findEndedSession(db, sha256Hex(token), accountSlug, now);
  return ended?.reason as SignedOutReason | undefined;
}
