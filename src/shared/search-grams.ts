/**
 * Trigrams for substring search. A text's grams are the three-character runs inside its words
 * (letters, marks and digits), counted in code points. Any such run of a search term is then a
 * gram of every text that contains the term, so the people who hold the term's rarest gram are
 * a small superset of the matches, found through an index instead of by reading every row.
 *
 * Texts and terms must be folded alike first (`foldForSearch`).
 */

const WORD = /[\p{L}\p{M}\p{N}]+/gu;

/**
 * What a search compares, the same on every database: lower case without accents or other marks
 * ("Zoë" and "ZOE" fold alike), compatibility forms spelled out ("ﬁ" is "fi", full-width letters
 * are ASCII), and Greek final sigma as σ (lower-casing "ΣΣ" can't know which one a word ends on).
 */
export function foldForSearch(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").normalize("NFC").toLocaleLowerCase("en-US").replace(/ς/g, "σ");
}

/** The distinct trigrams of a folded text's words, in order of first appearance. */
export function searchGrams(folded: string): string[] {
  const grams = new Set<string>();
  for (const [word] of folded.matchAll(WORD)) {
    const chars = Array.from(word);
    for (let i = 0; i + 3 <= chars.length; i++) grams.add(`${chars[i]}${chars[i + 1]}${chars[i + 2]}`);
  }
  return [...grams];
}
