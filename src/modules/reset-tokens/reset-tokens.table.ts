export type ResetPurpose = "forgot_password" | "admin_reset" | "owner_recovery";
export type ResetChannel = "email" | "sms";

/** A password-reset link. Only the SHA-256 of its token is stored. */
export interface ResetTokensTable {
  id: string;
  token_hash: string;
  account_id: string;
  staff_id: string;
  purpose: ResetPurpose;
  channel: ResetChannel;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  /** Set when a newer link, a password change, deactivation or an email change ends it. */
  revoked_at: number | null;
  requested_ip: string | null;
}
