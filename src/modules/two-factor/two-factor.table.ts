import type { Generated, Selectable } from "kysely";

/** An authenticator-app secret (RFC 6238), sealed at rest; `subject` is `staff:<id>` or `agent:<id>`. */
export interface TotpFactorsTable {
  subject: string;
  account_id: string | null;
  sealed_secret: string;
  /** Null while enrolment waits for the first code. */
  confirmed_at: number | null;
  /** The last 30-second step a code was accepted for: each code is accepted once. */
  last_used_step: number | null;
  created_at: number;
}

/** A one-time recovery code; only its SHA-256 is stored. */
export interface RecoveryCodesTable {
  id: string;
  account_id: string;
  staff_id: string;
  code_hash: string;
  used_at: number | null;
  created_at: number;
}

/** A WebAuthn credential (passkey) registered by a staff member. */
export interface PasskeysTable {
  /** The credential id, base64url. */
  id: string;
  account_id: string;
  staff_id: string;
  /** The COSE public key, base64url. */
  public_key: string;
  counter: number;
  /** JSON array of transports the authenticator reported. */
  transports: Generated<string>;
  name: string;
  created_at: number;
  last_used_at: number | null;
}

/**
 * A sign-in waiting for its second step (5 minutes, good for nothing else), or a passwordless
 * passkey sign-in waiting for its assertion. Only the SHA-256 of its cookie is stored.
 */
export interface PendingSignInsTable {
  id_hash: string;
  account_id: string;
  staff_id: string | null;
  stay_signed_in: Generated<number>;
  enrollment_required: Generated<number>;
  /** RFC 8176 methods done so far, comma-separated ("pwd"). */
  amr: string;
  challenge: string | null;
  created_at: number;
  expires_at: number;
}

export type TotpFactorRow = Selectable<TotpFactorsTable>;
export type PasskeyRow = Selectable<PasskeysTable>;
export type PendingSignInRow = Selectable<PendingSignInsTable>;
