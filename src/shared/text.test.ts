import { describe, expect, it } from "vitest";
import { hasForbiddenCharacters } from "./text.js";

describe("forbidden characters in names and reasons", () => {
  it.each([
    "a\u0000b",
    "line\nbreak",
    "car\rriage",
    "tab\there",
    "del\u007f",
    "c1\u0085",
    "evil\u202Egpj.exe",
    "\u2066iso\u2069",
  ])("refuses %j", (text) => expect(hasForbiddenCharacters(text)).toBe(true));
  it.each(["Zoë Ångström", "O'Brien-Smith", "李小龍", "עברית", "مرحبا", "Dance & Swim Co."])("accepts %j", (text) =>
    expect(hasForbiddenCharacters(text)).toBe(false),
  );
});
