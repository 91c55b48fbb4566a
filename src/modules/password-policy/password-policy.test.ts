import { describe, expect, it } from "vitest";
import { testCommonPasswords } from "../../../test/support/dialects.js";
import { evaluatePassword, type PasswordContext } from "./password-policy.js";

const context: PasswordContext = {
  minLength: 8,
  username: "jsmith",
  firstName: "Jo",
  lastName: "Smith",
  email: "jo.smith@example.com",
  accountName: "Acme Swim",
  accountSlug: "acme-swim",
};

const reasons = (password: string, ctx: PasswordContext = context) => {
  const result = evaluatePassword(password, ctx);
  return result.ok ? [] : result.reasons;
};

describe("password policy", () => {
  it.each([
    ["correct horse battery staple", []],
    ["😀😀😀😀", ["too_short"]],
    ["aaaaaaa😀", []],
    ["x".repeat(256), []],
    ["x".repeat(257), ["too_long"]],
    ["AcmeSwim2024!", ["contains_personal_info"]],
    ["my-jsmith-pass", ["contains_personal_info"]],
    ["SMITH-lane-77", ["contains_personal_info"]],
    ["jo.smith!!2024", ["contains_personal_info"]],
    ["jojo-banana-1", []], // "Jo" is shorter than 3 characters: too common to forbid
    ["MyStaffgate#2026", ["contains_personal_info"]], // the product's own words count too
    ["office-portal-99", ["contains_personal_info"]],
    ["OfficePortal!77x", ["contains_personal_info"]],
    ["short", ["too_short"]],
  ])("%s → %j", (password, expected) => {
    expect(reasons(password)).toEqual(expected);
  });

  it("rejects strings that are not well-formed Unicode", () => {
    expect(reasons("abcdefgh\uD800")).toEqual(["invalid_characters"]);
  });

  it("applies the account's raised minimum", () => {
    expect(reasons("twelve-chars", { ...context, minLength: 15 })).toEqual(["too_short"]);
  });

  it("returns every failing reason together", () => {
    expect(reasons("smith")).toEqual(["too_short", "contains_personal_info"]);
  });

  it("checks the common-password list after NFKC folding and lower-casing", () => {
    const list = { has: (folded: string) => folded === "password123" };
    const result = evaluatePassword("ｐａｓｓｗｏｒｄ１２３", context, list);
    expect(result).toEqual({ ok: false, reasons: ["common_password"] });
  });

  it("returns the NFC form to hash", () => {
    const result = evaluatePassword("Cre\u0300me-caramel-7", context);
    expect(result).toEqual({ ok: true, normalized: "Crème-caramel-7" });
  });
});

describe("password policy with the top-1M list", () => {
  const list = testCommonPasswords();
  const check = (password: string, ctx: PasswordContext = context) => {
    const result = evaluatePassword(password, ctx, list);
    return result.ok ? [] : result.reasons;
  };

  it.each([
    ["correct horse battery staple", []],
    ["ｐａｓｓｗｏｒｄ１２３", ["common_password"]],
    ["password123", ["common_password"]],
    ["PassWord123", ["common_password"]],
    ["iloveyou", ["common_password"]],
    ["12345678", ["common_password"]],
    ["qwerty", ["too_short", "common_password"]],
    ["velvet-harbor-31", []],
  ])("%s → %j", (password, expected) => {
    expect(check(password)).toEqual(expected);
  });
});
