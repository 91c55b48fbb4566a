import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { groupedSecret, matchTotpStep, newTotpSecret, totpCode, totpUri } from "./totp.js";

// RFC 6238 Appendix B: the SHA-1 seed "12345678901234567890" (as base32) and its 8-digit codes.
const RFC_SEED_BASE32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const RFC_VECTORS: Array<[number, string]> = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
];

describe("TOTP (RFC 6238)", () => {
  it("matches the RFC's SHA-1 test vectors (their last six digits, as 6-digit codes)", () => {
    for (const [seconds, eightDigits] of RFC_VECTORS) {
      expect(totpCode(RFC_SEED_BASE32, seconds * 1000)).toBe(eightDigits.slice(-6));
    }
  });

  it("agrees with a plain HMAC-SHA-1 implementation of RFC 4226's dynamic truncation", () => {
    const key = Buffer.from("12345678901234567890");
    for (const seconds of [0, 59, 1111111109, 1700000000]) {
      const counter = Buffer.alloc(8);
      counter.writeBigUInt64BE(BigInt(Math.floor(seconds / 30)));
      const mac = createHmac("sha1", key).update(counter).digest();
      const offset = (mac[19] ?? 0) & 0xf;
      const binary = mac.readUInt32BE(offset) & 0x7fffffff;
      expect(totpCode(RFC_SEED_BASE32, seconds * 1000)).toBe(String(binary % 1_000_000).padStart(6, "0"));
    }
  });

  it("accepts one step of drift either way, and says which step a code belongs to", () => {
    const now = 1_700_000_000_000;
    const step = Math.floor(now / 30_000);
    expect(matchTotpStep(RFC_SEED_BASE32, totpCode(RFC_SEED_BASE32, now), now)).toBe(step);
    expect(matchTotpStep(RFC_SEED_BASE32, totpCode(RFC_SEED_BASE32, now - 30_000), now)).toBe(step - 1);
    expect(matchTotpStep(RFC_SEED_BASE32, totpCode(RFC_SEED_BASE32, now + 30_000), now)).toBe(step + 1);
    expect(matchTotpStep(RFC_SEED_BASE32, totpCode(RFC_SEED_BASE32, now - 60_000), now)).toBeUndefined();
    const spaced = totpCode(RFC_SEED_BASE32, now).replace(/(\d{3})/, "$1 ");
    expect(matchTotpStep(RFC_SEED_BASE32, spaced, now)).toBe(step);
    for (const bad of ["", "12345", "1234567", "abcdef"])
      expect(matchTotpStep(RFC_SEED_BASE32, bad, now)).toBeUndefined();
  });

  it("makes 160-bit secrets, an otpauth URI for the QR code, and groups of four to type", () => {
    const secret = newTotpSecret({ bytes: (n) => Buffer.alloc(n, 0x42) });
    expect(secret).toHaveLength(32);
    expect(groupedSecret(secret)).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    const uri = totpUri(secret, "Acme Swim (Staffgate)", "admin");
    expect(uri).toMatch(/^otpauth:\/\/totp\/.*\?.*secret=[A-Z2-7]+/);
    expect(uri).toContain("algorithm=SHA1");
    expect(uri).toContain("digits=6");
    expect(uri).toContain("period=30");
  });
});
