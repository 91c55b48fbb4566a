import type { AccountRow } from "./accounts.table.js";

/** Slugs appear in URLs: lowercase letters, digits and single inner hyphens (API.md). */
export const SLUG_PATTERN = "^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,62}$";
const slugRegExp = new RegExp(SLUG_PATTERN);

export function isValidSlug(slug: string): boolean {
  return slugRegExp.test(slug);
}

export interface PublicAccount {
  readonly slug: string;
  readonly name: string;
}

export interface AccountSettings {
  readonly name: string;
  readonly smsVoiceEnabled: boolean;
  readonly smsCredits: number;
  readonly passwordMinLength: number;
}

export function toPublicAccount(row: AccountRow): PublicAccount {
  return { slug: row.slug, name: row.name };
}

export function toAccountSettings(row: AccountRow): AccountSettings {
  return {
    name: row.name,
    smsVoiceEnabled: row.sms_voice_enabled === 1,
    smsCredits: row.sms_credits,
    passwordMinLength: row.password_min_length,
  };
}
