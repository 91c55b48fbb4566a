import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { foldForSearch, searchGrams } from "./search-grams.js";

describe("searchGrams", () => {
  it("takes the trigrams inside each word, once each", () => {
    expect(searchGrams("ava harper ava.harper.7@staff.example")).toEqual([
      "ava",
      "har",
      "arp",
      "rpe",
      "per",
      "sta",
      "taf",
      "aff",
      "exa",
      "xam",
      "amp",
      "mpl",
      "ple",
    ]);
  });

  it("has no grams for words shorter than three characters", () => {
    expect(searchGrams("xu li 42 a.b")).toEqual([]);
  });

  it("counts characters in code points, not UTF-16 units", () => {
    expect(searchGrams("zoë 𝒜bc")).toEqual(["zoë", "𝒜bc"]);
  });

  it("folds case, accents and other marks, compatibility forms and final sigma", () => {
    expect(foldForSearch("ZOE\u0308")).toBe("zoe");
    expect(foldForSearch("Zoë Ångström")).toBe("zoe angstrom");
    expect(foldForSearch("Ｆｉｓｈｅｒ ﬁne")).toBe("fisher fine");
    expect(foldForSearch("ΟΔΥΣΣΕΥΣ")).toBe(foldForSearch("Οδυσσεύς"));
    expect(foldForSearch("İpek Çelik")).toBe("ipek celik");
  });

  it("every gram of a term is a gram of any text containing it", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme" }),
        fc.string({ unit: "grapheme" }),
        fc.string(),
        (before, term, after) => {
          const text = foldForSearch(`${before}${term}${after}`);
          const folded = foldForSearch(term);
          fc.pre(text.includes(folded));
          const ofText = new Set(searchGrams(text));
          for (const gram of searchGrams(folded)) expect(ofText.has(gram)).toBe(true);
        },
      ),
    );
  });
});
