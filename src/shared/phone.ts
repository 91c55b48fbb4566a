/**
 * Phone numbers (ITU-T E.164), read with libphonenumber-js and its full metadata, which knows
 * each country's number ranges and what they are (mobile, landline, premium rate, …), not just
 * their lengths. Every business has a country (ISO 3166-1 alpha-2): a number typed without a
 * "+" is read as one of its numbers, so "07700 900123" in a UK business is +447700900123.
 *
 * Two questions are asked of a number, at different times:
 * - when it is typed (`normalizePhoneEntry`): could it be a number at all? It must have a
 *   length and leading digits that its country's numbering plan allows. Ranges no operator holds
 *   yet, or that are held back (the UK's 07700 900xxx is reserved for fiction), still pass: the
 *   number is well formed, it just isn't anybody's.
 * - when a text is about to be paid for (`smsDestination`): is it a number in service that takes
 *   texts, in a country the business allows? That is the toll-fraud gate (see the list below).
 */
import {
  Metadata,
  getCountryCallingCode,
  getExampleNumber,
  isSupportedCountry,
  parsePhoneNumberFromString,
  type CountryCode,
  type NumberType,
  type PhoneNumber,
} from "libphonenumber-js/max";
import mobileExamples from "libphonenumber-js/mobile/examples";

/** What a business is when nobody said otherwise, and what numbers were read as before countries. */
export const DEFAULT_COUNTRY = "US";

/** A country libphonenumber knows, as two capital letters (`GB`, not `gb` or `UK`). */
export function isCountryCode(value: string): boolean {
  return /^[A-Z]{2}$/.test(value) && isSupportedCountry(value);
}

function asCountry(code: string): CountryCode {
  return isCountryCode(code) ? (code as CountryCode) : DEFAULT_COUNTRY;
}

const regionNames = new Intl.DisplayNames(["en"], { type: "region", fallback: "code" });

/** "United Kingdom" for `GB`; the code itself when it has no name. */
export function countryName(code: string): string {
  try {
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}

/** `44` for `GB`. */
export function callingCodeOf(country: string): string {
  return getCountryCallingCode(asCountry(country));
}

/** A stored or typed number; one without a "+" is read as a number of `country`. */
export function parsePhone(text: string, country: string): PhoneNumber | undefined {
  try {
    return parsePhoneNumberFromString(text, asCountry(country));
  } catch {
    return undefined;
  }
}

/** The runtime shape of a numbering plan, of which the library's types name only a part. */
interface PlanMetadata {
  selectNumberingPlan(countryOrCallingCode: string): unknown;
  numberingPlan?: { nationalNumberPattern?: () => string };
}

/**
 * Right length and leading digits for its country's numbering plan (libphonenumber's "general
 * description" pattern), whether or not the range is in service.
 */
function fitsNumberingPlan(number: PhoneNumber): boolean {
  if (number.isValid()) return true;
  if (!number.isPossible()) return false;
  try {
    const metadata = new Metadata() as unknown as PlanMetadata;
    metadata.selectNumberingPlan(number.country ?? number.countryCallingCode);
    const pattern = metadata.numberingPlan?.nationalNumberPattern?.();
    return pattern !== undefined && new RegExp(`^(?:${pattern})$`).test(number.nationalNumber);
  } catch {
    return false;
  }
}

/** "… such as 07400 123456, or … such as +44 7400 123456": the country's own example mobile number. */
export function phoneFormatHint(country: string): string {
  const code = asCountry(country);
  const example = getExampleNumber(code, mobileExamples);
  const name = `${countryName(code)} (${code})`;
  if (!example) return `a phone number in international format, starting with + and the country code`;
  return (
    `a phone number in the national format of ${name}, such as ${example.formatNational()}, ` +
    `or in international format, such as ${example.formatInternational()}`
  );
}

export type PhoneEntry = { readonly ok: true; readonly e164: string } | { readonly ok: false; readonly hint: string };

/**
 * A number as someone typed it, in E.164 for storing, or the format hint to show them. Refused:
 * anything that can't be a number of its country (wrong length or leading digits, letters,
 * an unknown country code) and extensions, which no text reaches.
 */
export function normalizePhoneEntry(text: string, country: string): PhoneEntry {
  const number = parsePhone(text, country);
  if (!number || number.ext || !fitsNumberingPlan(number)) return { ok: false, hint: phoneFormatHint(country) };
  return { ok: true, e164: number.number };
}

/**
 * The kinds of number a text may go to. Everything else is refused before anything is charged:
 * - premium rate, shared cost, personal ("follow-me") numbers, UANs, pagers and voicemail access
 *   numbers: their calls and texts are billed above normal rates or pass money to whoever holds
 *   the number — the ranges artificially inflated traffic ("SMS pumping") is sent to;
 * - VoIP ranges (e.g. the UK's 056): numbers anyone can rent online in bulk, often used for the
 *   same schemes; nobody's own mobile is in them (US VoIP numbers sit in the ordinary geographic
 *   ranges, which libphonenumber calls FIXED_LINE_OR_MOBILE and which stay allowed);
 * - landlines and toll-free numbers: they don't take texts (a landline "text" is read out by a
 *   voice call at extra cost);
 * - numbers in no range in service: they reach nobody.
 * Numbers of no country at all — satellite networks (+870, +881), international networks
 * (+882, +883), International Premium Rate (+979), universal freephone (+800, +808) — are refused
 * whatever their type, since no country allow-list can name them.
 */
const TEXTABLE_TYPES: ReadonlySet<NumberType> = new Set<NumberType>(["MOBILE", "FIXED_LINE_OR_MOBILE"]);

const TYPE_NAMES: Record<string, string> = {
  PREMIUM_RATE: "a premium-rate number",
  SHARED_COST: "a shared-cost number",
  PERSONAL_NUMBER: "a personal (follow-me) number",
  UAN: "a universal access number",
  PAGER: "a pager number",
  VOICEMAIL: "a voicemail access number",
  VOIP: "an internet (VoIP) number",
  TOLL_FREE: "a toll-free number",
  FIXED_LINE: "a landline",
};

export interface SmsPolicy {
  /** The business's country: numbers stored without a "+" are read as its numbers. */
  readonly country: string;
  /** Where texts may go. */
  readonly allowedCountries: readonly string[];
}

export type SmsDestination =
  | { readonly allowed: true; readonly e164: string; readonly country: string }
  | {
      readonly allowed: false;
      readonly reason: "not_in_service" | "international_network" | "not_mobile" | "country_not_allowed";
      /** In words, for the person who tried: "a premium-rate number", "Jamaica (JM)". */
      readonly description: string;
      readonly numberType?: string;
      readonly country?: string;
    };

/** Whether a text may go to a stored number, under the business's policy (see TEXTABLE_TYPES). */
export function smsDestination(stored: string, policy: SmsPolicy): SmsDestination {
  const number = parsePhone(stored, policy.country);
  if (!number || !number.isValid()) {
    return { allowed: false, reason: "not_in_service", description: "not a number in service" };
  }
  const type = number.getType();
  if (!number.country) {
    return {
      allowed: false,
      reason: "international_network",
      description: `a satellite or international network number (+${number.countryCallingCode})`,
      ...(type ? { numberType: type } : {}),
    };
  }
  if (!TEXTABLE_TYPES.has(type)) {
    return {
      allowed: false,
      reason: "not_mobile",
      description: (type && TYPE_NAMES[type]) ?? "not a mobile number",
      ...(type ? { numberType: type } : {}),
      country: number.country,
    };
  }
  if (!policy.allowedCountries.includes(number.country)) {
    return {
      allowed: false,
      reason: "country_not_allowed",
      description: `a number in ${countryName(number.country)} (${number.country})`,
      country: number.country,
    };
  }
  return { allowed: true, e164: number.number, country: number.country };
}
