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
  ip: string | null;
  user_agent: string | null;
}
