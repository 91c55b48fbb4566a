import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createSecretBox, isSealed } from "./secret-box.js";

const keyA = randomBytes(32);
const keyB = randomBytes(32);

describe("secret box", () => {
  it("opens what it sealed, for the same context, whatever the text", () => {
    const box = createSecretBox([keyA]);
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 2000 }), fc.string(), (text, context) => {
        const sealed = box.seal(text, context);
        expect(isSealed(sealed)).toBe(true);
        expect(box.open(sealed, context)).toBe(text);
      }),
    );
  });

  it("hides the text and never seals it the same way twice", () => {
    const box = createSecretBox([keyA]);
    const link = "https://portal.example/reset-password#token=Zm9vYmFyYmF6";
    const one = box.seal(link, "msg_1:text");
    expect(one).not.toContain("token");
    expect(one).not.toContain("Zm9vYmFyYmF6");
    expect(box.seal(link, "msg_1:text")).not.toBe(one);
  });

  it("refuses a text sealed for another context, altered, or truncated", () => {
    const box = createSecretBox([keyA]);
    const sealed = box.seal("reset link", "msg_1:text");
    expect(() => box.open(sealed, "msg_2:text")).toThrow();
    const flipped = sealed.slice(0, -3) + (sealed.at(-3) === "A" ? "B" : "A") + sealed.slice(-2);
    expect(() => box.open(flipped, "msg_1:text")).toThrow();
    expect(() => box.open(sealed.slice(0, 20), "msg_1:text")).toThrow();
    expect(() => box.open("plain text", "msg_1:text")).toThrow("not a sealed text");
  });

  it("rotates keys: the first key seals, every key opens, a retired key is named", () => {
    const old = createSecretBox([keyA]).seal("sealed before the rotation", "ctx");
    const rotated = createSecretBox([keyB, keyA]);
    expect(rotated.open(old, "ctx")).toBe("sealed before the rotation");
    const sealedNow = rotated.seal("after", "ctx");
    expect(createSecretBox([keyB]).open(sealedNow, "ctx")).toBe("after");
    expect(() => createSecretBox([keyB]).open(old, "ctx")).toThrow(/not among the configured keys/);
  });

  it("takes only 32-byte keys", () => {
    expect(() => createSecretBox([])).toThrow();
    expect(() => createSecretBox([randomBytes(16)])).toThrow("32 bytes");
  });
});
