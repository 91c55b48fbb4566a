/**
 * Forward auth (API.md v2, `GET /api/auth/verify`): a reverse proxy asks, for each request it is
 * about to pass to a protected app, whether the browser's portal session cookie signs somebody
 * in, and who. The rules are the session guard's (sessions/index.ts): an ended, expired or idle
 * session, an inactive person, a session of another business than the one required — none of
 * them signs anybody in. Two more cases answer "no" here, because the protected app can't tell:
 *
 * - a person who must change their password first: the portal lets them do nothing else, so
 *   neither may a protected app;
 * - a sign-in still waiting for its second step: that is a pending sign-in with its own cookie
 *   (two-factor/), never a session, so its cookie is not even looked at.
 *
 * One query per answer (the session with its person and business). Like every portal request,
 * an answer counts as activity and may write `last_seen_at`, at most once a minute; the
 * absolute end of a session (12 hours, or 30 days with "Stay signed in") never moves, so a proxy
 * calling this on every request can't keep a session alive for ever.
 */
import { PERMISSION_CATALOGUE, hasAdminAccess, isPermissionKey } from "../permissions/index.js";
import { resolveSession, resolveSessionOfAnyAccount, type SessionDeps } from "../sessions/index.js";
import type { Executor } from "../../db/database.js";

export interface ForwardAuthDeps extends SessionDeps {
  readonly db: Executor;
}

/** Who the session signs in: what the proxy passes on to the protected app. */
export interface ForwardAuthIdentity {
  readonly accountSlug: string;
  readonly staffId: string;
  readonly username: string;
  /**
   * `admin` first for Admin Access, followed by every permission it implies, so that an app
   * checking one permission needn't know that Admin Access includes it.
   */
  readonly permissions: readonly string[];
}

export const ADMIN_PERMISSION = "admin";

export async function verifyPortalSession(
  deps: ForwardAuthDeps,
  token: string | undefined,
  requiredAccountSlug: string | undefined,
): Promise<ForwardAuthIdentity | undefined> {
  if (!token) return undefined;
  const session = requiredAccountSlug
    ? await resolveSession(deps.db, deps, token, requiredAccountSlug)
    : await resolveSessionOfAnyAccount(deps.db, deps, token);
  if (!session || session.staff.must_change_password === 1) return undefined;
  return {
    accountSlug: session.account.slug,
    staffId: session.staff.id,
    username: session.staff.username,
    permissions: permissionsOf(session.staff),
  };
}

function permissionsOf(staff: { is_owner: number; admin_full_access: number; permissions: string }): string[] {
  const catalogue = PERMISSION_CATALOGUE.map((permission) => permission.key);
  if (hasAdminAccess(staff)) return [ADMIN_PERMISSION, ...catalogue];
  const granted: unknown = JSON.parse(staff.permissions);
  // Catalogue order, and only keys the catalogue knows: a stale key is no permission.
  return Array.isArray(granted) ? catalogue.filter((key) => isPermissionKey(key) && granted.includes(key)) : [];
}
