import { isCountryCode } from "../../shared/phone.js";
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
  /** ISO 3166-1 alpha-2: numbers typed without a "+" are read as this country's. */
  readonly country: string;
  /** The countries texts may go to (by default the business's own). */
  readonly smsAllowedCountries: string[];
  /** "Require two-factor for the Office Portal": each person enrols at their next sign-in. */
  readonly requireTwoFactor: boolean;
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
    country: row.country,
    smsAllowedCountries: smsAllowedCountries(row),
    requireTwoFactor: row.require_two_factor === 1,
  };
}

/** Where the business's texts may go: the list Admin Access chose, or else its own country. */
export function smsAllowedCountries(row: Pick<AccountRow, "country" | "sms_allowed_countries">): string[] {
  if (row.sms_allowed_countries === null) return [row.country];
  try {
    const parsed: unknown = JSON.parse(row.sms_allowed_countries);
    if (Array.isArray(parsed)) return parsed.filter((code): code is string => typeof code === "string");
  } catch {
    // an unreadable list allows nothing: the check fails closed
  }
  return [];
}

/** Why a country code is refused, or undefined when it is one Staffgate can read numbers of. */
export function countryProblem(code: string): string | undefined {
  return isCountryCode(code) ? undefined : "an ISO 3166-1 alpha-2 country code in capitals, such as US or GB";
}
