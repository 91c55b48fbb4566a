import { describe, expect, it } from "vitest";
import { cryptoRandom, newId, newOneTimePassword, newToken } from "./random.js";

describe("randomness", () => {
  it("makes 256-bit base64url tokens", () => {
    const token = newToken(cryptoRandom);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
  });

  it("makes prefixed opaque ids with 80 random bits", () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newId(cryptoRandom, "stf")));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^stf_[0-9a-hjkmnp-tv-z]{16}$/);
  });

  it("makes readable one-time passwords without look-alike characters", () => {
    const password = newOneTimePassword();
    expect(password).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{4}(-[a-km-zA-HJ-NP-Z2-9]{4}){3}$/);
  });
});
