import type { Generated } from "kysely";

export interface SessionsTable {
  /** SHA-256 (hex) of the session id in the cookie; the id itself is never stored. */
  id_hash: string;
  account_id: string;
  staff_id: string;
  created_at: number;
  last_seen_at: number;
  idle_timeout_seconds: number;
  /** Absolute end, whatever the activity. */
  expires_at: number;
  stay_signed_in: Generated<number>;
  /** When the person last proved who they are in this session (sign-in or re-authentication). */
  authenticated_at: number | null;
  /** RFC 8176 methods this session was authenticated with, comma-separated ("pwd", "pwd,otp"). */
  amr: Generated<string>;
  /** A WebAuthn challenge this session is waiting on (registering a passkey, re-authenticating). */
  challenge: string | null;
  ip: string | null;
  user_agent: string | null;
}

/**
 * A session that a change ended (a new password, made inactive, …), by the SHA-256 of its id:
 * the browser still holding its cookie is told why (`401 unauthenticated`, `details.reason`).
 * Kept no longer than the session would have lasted, and 30 days at most.
 */
export interface EndedSessionsTable {
  id_hash: string;
  account_id: string;
  staff_id: string;
  reason: string;
  ended_at: number;
  expires_at: number;
}

/**
 * A browser that signed in as a person, or opened their unlock link. Only the SHA-256 of the id
 * in its cookie is stored. Its own failures are counted here (and capped), apart from the
 * person's, so that a stranger's guesses never hold the person out of their own browser.
 */
export interface TrustedBrowsersTable {
  id_hash: string;
  account_id: string;
  staff_id: string;
  failures: Generated<number>;
  created_at: number;
  expires_at: number;
}
