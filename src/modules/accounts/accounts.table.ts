import type { Generated, Selectable } from "kysely";

export interface AccountsTable {
  id: string;
  slug: string;
  name: string;
  /** Ownership facts that vendor support verifies when the owner is locked out. */
  owner_full_name: string;
  billing_postal_code: string | null;
  card_last4: string | null;
  business_phone: string | null;
  password_min_length: Generated<number>;
  sms_voice_enabled: Generated<number>;
  sms_credits: Generated<number>;
  /** ISO 3166-1 alpha-2; numbers typed without a "+" are read as this country's. */
  country: Generated<string>;
  /** JSON array of the countries texts may go to; NULL: the business's own country only. */
  sms_allowed_countries: string | null;
  /** "Require two-factor for the Office Portal": each person enrols at their next sign-in. */
  require_two_factor: Generated<number>;
  created_at: number;
  updated_at: number;
}

export type AccountRow = Selectable<AccountsTable>;
