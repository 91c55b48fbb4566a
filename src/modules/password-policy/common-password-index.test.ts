import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { testCommonPasswords } from "../../../test/support/dialects.js";
import { compileIndex, fingerprint, indexFromWords, readSourceList } from "./common-password-index.js";
import { foldForComparison } from "./password-policy.js";

describe("common-password index", () => {
  it("finds exactly the entries it was built from", () => {
    const entries = ["123456", "password", "qwerty", "letmein", "dragon", "ünïcödé"];
    const index = indexFromWords(compileIndex(entries));
    expect(index.size).toBe(entries.length);
    for (const entry of entries) expect(index.has(entry)).toBe(true);
    for (const other of ["1234567", "passwor", "", "Password", "dragons"]) expect(index.has(other)).toBe(false);
  });

  it("handles an empty list and duplicate entries", () => {
    expect(indexFromWords(compileIndex([])).has("anything")).toBe(false);
    expect(indexFromWords(compileIndex(["same", "same"])).size).toBe(1);
  });

  it("refuses a file that is not an index", () => {
    expect(() => indexFromWords(new Uint32Array(70_000))).toThrow(/not a Staffgate common-password index/);
  });

  it("spreads fingerprints over the whole 64-bit space", () => {
    const [high, low] = fingerprint("password");
    expect(high).toBeGreaterThanOrEqual(0);
    expect(low).toBeLessThan(2 ** 32);
    expect(fingerprint("password")).not.toEqual(fingerprint("passwore"));
  });

  describe("the shipped top-1M list, as compiled by the build", () => {
    const list = readSourceList();
    const index = testCommonPasswords() as ReturnType<typeof indexFromWords>;

    it("has all 999,999 entries of the list, compared case-insensitively after NFKC folding", () => {
      expect(list).toHaveLength(999_999);
      let missing = 0;
      for (const entry of list) if (!index.has(foldForComparison(entry))) missing++;
      expect(missing).toBe(0);
      expect(index.has(foldForComparison("ＰＡＳＳＷＯＲＤ１２３"))).toBe(true);
    });

    it("rejects 1,000,000 random passwords that are not on the list", () => {
      const members = new Set(list.map(foldForComparison));
      const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-_!";
      let tested = 0;
      let falsePositives = 0;
      while (tested < 1_000_000) {
        const bytes = randomBytes(12);
        let candidate = "";
        for (const byte of bytes) candidate += alphabet[byte % alphabet.length];
        if (members.has(candidate)) continue;
        tested++;
        if (index.has(candidate)) falsePositives++;
      }
      expect(falsePositives).toBe(0);
    });
  });
});
