/**
 * Session lifetimes (SECURITY.md "Sessions"; OWASP Session Management Cheat Sheet).
 * Pure functions over a stored session and the time now.
 */

export const IDLE_TIMEOUT_SECONDS = 60 * 60;
/** An ordinary session ends after this long even if it is used all day. */
export const ABSOLUTE_TIMEOUT_SECONDS = 12 * 60 * 60;
/** "Stay signed in" keeps a session for at most this long, and needs no activity meanwhile. */
export const STAY_SIGNED_IN_SECONDS = 30 * 24 * 60 * 60;
/**
 * Sudo mode (GitHub's name; OWASP ASVS 5.0 V6.2.x / V7.5.x re-authentication): sensitive actions
 * need a sign-in or re-authentication within this long.
 */
export const SUDO_WINDOW_SECONDS = 10 * 60;
/** A trusted browser is remembered this long after its last sign-in. */
export const TRUSTED_BROWSER_SECONDS = 30 * 24 * 60 * 60;
/** Wrong passwords a trusted browser may send before it is trusted no more. */
export const TRUSTED_BROWSER_MAX_FAILURES = 10;
/** last_seen_at is written at most this often, so reads rarely become writes. */
export const LAST_SEEN_WRITE_INTERVAL_SECONDS = 60;

export interface SessionTimes {
  readonly lastSeenAt: number;
  readonly idleTimeoutSeconds: number;
  readonly expiresAt: number;
}

export function newSessionTimes(nowMs: number, staySignedIn: boolean): SessionTimes {
  const lifetimeSeconds = staySignedIn ? STAY_SIGNED_IN_SECONDS : ABSOLUTE_TIMEOUT_SECONDS;
  return {
    lastSeenAt: nowMs,
    idleTimeoutSeconds: staySignedIn ? STAY_SIGNED_IN_SECONDS : IDLE_TIMEOUT_SECONDS,
    expiresAt: nowMs + lifetimeSeconds * 1000,
  };
}

export function isSessionExpired(session: SessionTimes, nowMs: number): boolean {
  return nowMs >= session.expiresAt || nowMs >= session.lastSeenAt + session.idleTimeoutSeconds * 1000;
}

export function shouldTouchLastSeen(session: SessionTimes, nowMs: number): boolean {
  return nowMs - session.lastSeenAt >= LAST_SEEN_WRITE_INTERVAL_SECONDS * 1000;
}

export function isRecentlyAuthenticated(authenticatedAt: number, nowMs: number): boolean {
  return nowMs - authenticatedAt < SUDO_WINDOW_SECONDS * 1000;
}
