export type StaffTokenPurpose = "unlock" | "email_verification";

/**
 * A single-use emailed link that is not a password reset: an unlock link (lifts the hard lock,
 * changes no password) or an email verification link. Only the SHA-256 of its token is stored.
 */
export interface StaffTokensTable {
  id: string;
  token_hash: string;
  account_id: string;
  staff_id: string;
  purpose: StaffTokenPurpose;
  /** Email verification: the address the link was sent to, which it makes the primary email. */
  email: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  revoked_at: number | null;
}
