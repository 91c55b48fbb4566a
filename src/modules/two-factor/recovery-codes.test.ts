import { describe, expect, it } from "vitest";
import { cryptoRandom } from "../../shared/random.js";
import { hashRecoveryCode, newRecoveryCode, normalizeRecoveryCode } from "./recovery-codes.js";

describe("recovery codes", () => {
  it("are 16 Crockford base32 characters in groups of four, and all different", () => {
    const codes = Array.from({ length: 200 }, () => newRecoveryCode(cryptoRandom));
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("hash the same however they are typed", () => {
    const code = "AB1O-CDEF-GH2J-KMNP";
    for (const typed of ["ab1o cdef gh2j kmnp", "AB10CDEFGH2JKMNP", "ab1o-cdef-gh2j-kmnp ", "AB1O-CDEF-GH2J-KMNP"]) {
      expect(hashRecoveryCode(typed)).toBe(hashRecoveryCode(code));
    }
    expect(normalizeRecoveryCode("il-LO")).toBe("1110");
    expect(hashRecoveryCode("AB1O-CDEF-GH2J-KMNQ")).not.toBe(hashRecoveryCode(code));
  });
});
