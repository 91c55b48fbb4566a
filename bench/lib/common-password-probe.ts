/**
 * Run in a child process by the common-passwords section (`node --expose-gc --import tsx
 * bench/lib/common-password-probe.ts index|set`), so each structure's memory is measured alone.
 * Prints one JSON line: added RSS and heap, load time, lookup cost, and exactness.
 */
import { randomBytes } from "node:crypto";
import {
  DEFAULT_INDEX_PATH,
  foldForComparison,
  loadIndexFile,
  readSourceList,
} from "../../src/modules/password-policy/index.js";

const mode = process.argv[2];
if (mode !== "index" && mode !== "set") throw new Error("usage: common-password-probe.ts index|set");

const gc = (globalThis as { gc?: () => void }).gc;
function settle(): NodeJS.MemoryUsage {
  gc?.();
  gc?.();
  return process.memoryUsage();
}

const before = settle();
const started = process.hrtime.bigint();
let has: (folded: string) => boolean;
let keep: unknown;
if (mode === "index") {
  const index = loadIndexFile(DEFAULT_INDEX_PATH);
  keep = index;
  has = (folded) => index.has(folded);
} else {
  const set = new Set(readSourceList().map(foldForComparison));
  keep = set;
  has = (folded) => set.has(folded);
}
const loadMs = Number(process.hrtime.bigint() - started) / 1e6;
const after = settle();

// Lookups: every entry of the list (all must be found), then random strings not on it.
const entries = readSourceList().map(foldForComparison);
const lookupStarted = process.hrtime.bigint();
let found = 0;
for (const entry of entries) if (has(entry)) found++;
const memberNs = Number(process.hrtime.bigint() - lookupStarted) / entries.length;

const members = new Set(entries);
const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
const strangers: string[] = [];
while (strangers.length < 1_000_000) {
  let candidate = "";
  for (const byte of randomBytes(12)) candidate += alphabet[byte % alphabet.length];
  if (!members.has(candidate)) strangers.push(candidate);
}
const strangerStarted = process.hrtime.bigint();
let falsePositives = 0;
for (const stranger of strangers) if (has(stranger)) falsePositives++;
const strangerNs = Number(process.hrtime.bigint() - strangerStarted) / strangers.length;

process.stdout.write(
  JSON.stringify({
    mode,
    addedRssMB: (after.rss - before.rss) / 2 ** 20,
    addedHeapMB: (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / 2 ** 20,
    loadMs,
    listEntries: entries.length,
    found,
    memberLookupNs: memberNs,
    nonMembersChecked: strangers.length,
    falsePositives,
    nonMemberLookupNs: strangerNs,
    kept: keep !== undefined,
  }) + "\n",
);
