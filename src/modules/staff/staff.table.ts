import type { Generated, Selectable } from "kysely";

export interface StaffTable {
  id: string;
  account_id: string;
  username: string;
  /** Lower-cased NFC username: uniqueness and login are case-insensitive. */
  username_normalized: string;
  /**
   * The UTS #39 skeleton of the folded username (shared/username-skeleton.ts): people of one
   * business whose skeletons are equal have look-alike usernames. Null only for rows an older
   * version wrote during a rolling upgrade, until `search:reindex`.
   */
  username_skeleton: string | null;
  first_name: string;
  last_name: string;
  email: string | null;
  email_normalized: string | null;
  /** An address the person typed for themselves, in force once they open the link sent to it. */
  pending_email: string | null;
  /** 1 once the person opened a verification link sent to `email`. */
  email_verified: Generated<number>;
  mobile_phone: string | null;
  sms_opt_in: Generated<number>;
  status: Generated<"active" | "inactive">;
  is_owner: Generated<number>;
  admin_full_access: Generated<number>;
  /** JSON array of permission keys. */
  permissions: Generated<string>;
  /** Argon2id PHC string; null until a password is set. Never leaves the credentials module. */
  password_hash: string | null;
  must_change_password: Generated<number>;
  password_changed_at: number | null;
  /** No longer used: consecutive failures live in `login_attempts` (migration 0007). */
  failed_login_streak: Generated<number>;
  /** When the person and the admins were last told the login was locked (at most hourly). */
  lockout_notified_at: number | null;
  /** Lower-cased "last first": the STAFF page's order (with id as tie-break). */
  sort_key: string;
  /** Lower-cased names, username and email: what the STAFF page's search matches. */
  search_text: string;
  created_at: number;
  updated_at: number;
}

export type StaffRow = Selectable<StaffTable>;

/**
 * The STAFF search's trigram index: one row per gram of a person's `search_text`, with their
 * `sort_key`, so each gram's postings are in list order (written with the staff row).
 */
export interface StaffSearchGramsTable {
  account_id: string;
  gram: string;
  sort_key: string;
  staff_id: string;
}
