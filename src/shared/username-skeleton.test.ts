import { describe, expect, it } from "vitest";
import { usernameSkeleton } from "./username-skeleton.js";

describe("username skeletons (UTS #39)", () => {
  it.each([
    ["\u0430dmin", "Cyrillic а"],
    ["ADMIN", "another case"],
    ["\uff41\uff44\uff4d\uff49\uff4e", "full-width letters"],
    ["\uff21\uff24\uff2d\uff29\uff2e", "full-width capitals"],
    ["adrnin", "r and n for m"],
    ["\u0251dmin", "Latin alpha"],
    ["adm\u0456n", "Cyrillic і"],
  ])("%j looks like admin (%s)", (username) => {
    expect(usernameSkeleton(username)).toBe(usernameSkeleton("admin"));
  });

  it("follows the table: 1 looks like l, not like i", () => {
    expect(usernameSkeleton("adm1n")).toBe(usernameSkeleton("admln"));
    expect(usernameSkeleton("adm1n")).not.toBe(usernameSkeleton("admin"));
  });

  it.each([
    ["jose", "josé"],
    ["sam", "pam"],
    ["front.desk", "front_desk"],
    ["anna", "ana"],
    ["李小龍", "李小龙"],
  ])("keeps %j and %j apart", (a, b) => {
    expect(usernameSkeleton(a)).not.toBe(usernameSkeleton(b));
  });

  it("is the same for every Unicode form of a username", () => {
    expect(usernameSkeleton("jos\u00e9")).toBe(usernameSkeleton("jose\u0301"));
    expect(usernameSkeleton("stra\u00dfe")).toBe(usernameSkeleton("STRASSE"));
  });
});
