/**
 * Authenticator-app codes: RFC 6238 TOTP with SHA-1, 6 digits and 30-second steps — what Google
 * Authenticator and every compatible app do — through `otpauth`. One step of clock drift is
 * accepted each way. Pure: the caller stores the secret (sealed) and remembers the last step a
 * code was accepted for, so that each code is accepted once (totp.repository.ts).
 */
import { Secret, TOTP } from "otpauth";
import type { Random } from "../../shared/random.js";

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps of clock drift accepted either side of now. */
export const TOTP_WINDOW = 1;
/** 160 bits, as RFC 4226 recommends for HMAC-SHA-1. */
const SECRET_BYTES = 20;

export function newTotpSecret(random: Random): string {
  return new Secret({ buffer: new Uint8Array(random.bytes(SECRET_BYTES)).buffer }).base32;
}

function totpFor(secretBase32: string, label = "", issuer = ""): TOTP {
  return new TOTP({
    issuer,
    label,
    algorithm: "SHA1",
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** The `otpauth://totp/…` URI the QR code carries. */
export function totpUri(secretBase32: string, issuer: string, accountLabel: string): string {
  return totpFor(secretBase32, accountLabel, issuer).toString();
}

/** The secret as people type it: groups of four. */
export function groupedSecret(secretBase32: string): string {
  return secretBase32.replace(/(.{4})(?=.)/g, "$1 ");
}

/** The code for a moment (tests, and the examples in the README). */
export function totpCode(secretBase32: string, timestampMs: number): string {
  return totpFor(secretBase32).generate({ timestamp: timestampMs });
}

/** The 30-second step a valid code belongs to, or undefined. Spaces in the code are ignored. */
export function matchTotpStep(secretBase32: string, code: string, nowMs: number): number | undefined {
  const token = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(token)) return undefined;
  const delta = totpFor(secretBase32).validate({ token, timestamp: nowMs, window: TOTP_WINDOW });
  if (delta === null) return undefined;
  return Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS) + delta;
}
