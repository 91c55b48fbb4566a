/**
 * The password policy (SECURITY.md "Passwords"; NIST SP 800-63B-4 §3.1.1.2): length in Unicode
 * code points after NFC, no composition rules, no common passwords, nothing from the person's
 * own name, username or email, or the business's name. Pure: every path that sets a password
 * calls `evaluatePassword` and gets every failing reason at once.
 */

export const ABSOLUTE_MIN_LENGTH = 8;
export const MAX_LENGTH = 256;
export const MAX_CONFIGURABLE_MIN_LENGTH = 64;
/** Name parts shorter than this are too common inside unrelated passwords to forbid. */
const MIN_PERSONAL_WORD_LENGTH = 3;

export type PasswordRejectionReason =
  | "too_short"
  | "too_long"
  | "common_password"
  | "contains_personal_info"
  | "invalid_characters"
  /** The new password is the current one (only paths that were given the current one can tell). */
  | "same_as_current";

export interface PasswordPolicy {
  readonly minLength: number;
  readonly maxLength: number;
}

/** Whose password it is: the words it must not contain. */
export interface PasswordContext {
  readonly minLength: number;
  readonly username?: string | null;
  readonly firstName?: string | null;
  readonly lastName?: string | null;
  readonly email?: string | null;
  readonly accountName?: string | null;
  readonly accountSlug?: string | null;
}

export interface CommonPasswordList {
  /** `folded` is already NFKC-folded and lower-cased. */
  has(folded: string): boolean;
}

export type PasswordEvaluation =
  | { readonly ok: true; readonly normalized: string }
  | { readonly ok: false; readonly reasons: readonly PasswordRejectionReason[] };

export function policyFor(minLength: number): PasswordPolicy {
  return { minLength: Math.max(ABSOLUTE_MIN_LENGTH, minLength), maxLength: MAX_LENGTH };
}

export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** Case-insensitive comparison form: compatibility characters folded (ｐａｓｓ → pass). */
export function foldForComparison(text: string): string {
  return text.normalize("NFKC").toLowerCase();
}

function lettersOnly(text: string): string {
  return text.replace(/[^\p{L}]/gu, "");
}

/** The product's own words: as guessable here as the business's name (OWASP ASVS 5.0 V6.2.11). */
export const PRODUCT_WORDS = ["Staffgate", "Office Portal"] as const;

function personalWords(context: PasswordContext): string[] {
  const emailLocalPart = context.email?.split("@")[0] ?? null;
  const candidates = [
    ...PRODUCT_WORDS,
    context.username,
    context.firstName,
    context.lastName,
    emailLocalPart,
    context.accountName,
    context.accountSlug,
  ];
  const words = new Set<string>();
  for (const candidate of candidates) {
    if (!candidate) continue;
    const folded = foldForComparison(candidate);
    for (const form of [folded, folded.replace(/\s+/g, ""), lettersOnly(folded)]) {
      if (codePointLength(form) >= MIN_PERSONAL_WORD_LENGTH) words.add(form);
    }
  }
  return [...words];
}

function containsPersonalInfo(password: string, context: PasswordContext): boolean {
  const folded = foldForComparison(password);
  const foldedLetters = lettersOnly(folded);
  return personalWords(context).some((word) => folded.includes(word) || foldedLetters.includes(word));
}

export function evaluatePassword(
  password: string,
  context: PasswordContext,
  commonPasswords?: CommonPasswordList,
): PasswordEvaluation {
  if (!password.isWellFormed()) return { ok: false, reasons: ["invalid_characters"] };
  const normalized = password.normalize("NFC");
  const policy = policyFor(context.minLength);
  const length = codePointLength(normalized);
  const reasons: PasswordRejectionReason[] = [];
  if (length < policy.minLength) reasons.push("too_short");
  if (length > policy.maxLength) reasons.push("too_long");
  if (commonPasswords?.has(foldForComparison(normalized))) reasons.push("common_password");
  if (containsPersonalInfo(normalized, context)) reasons.push("contains_personal_info");
  return reasons.length === 0 ? { ok: true, normalized } : { ok: false, reasons };
}
