/**
 * Recovery codes: ten one-time codes shown once at enrolment (and when regenerated), for the day
 * the phone is lost. Each carries 80 bits (16 Crockford base32 characters, typed in groups of
 * four), so a fast hash is enough at rest (The Copenhagen Book, "Two-factor authentication"):
 * only their SHA-256 is stored. Typing ignores case, spaces and hyphens, and reads O as 0, I and
 * L as 1.
 */
import { sha256Hex } from "../../shared/hash.js";
import type { Random } from "../../shared/random.js";

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford base32

export function newRecoveryCode(random: Random): string {
  const bytes = random.bytes(10);
  let bits = 0;
  let value = 0;
  let code = "";
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      code += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return code.replace(/(.{4})(?=.)/g, "$1-");
}

/** What is hashed: upper case, no separators, Crockford's look-alikes read as digits. */
export function normalizeRecoveryCode(typed: string): string {
  return typed
    .toUpperCase()
    .replace(/[\s-]+/g, "")
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");
}

export function hashRecoveryCode(typed: string): string {
  return sha256Hex(normalizeRecoveryCode(typed));
}
