/**
 * The common-password check: the compiled index (sorted 64-bit fingerprints with a 65,536-bucket
 * prefix index, built by `npm run build:passwords`) beside a JS `Set` of the same top-1M list,
 * each measured in a child process of its own. Goals (issue "Password policy"): ≤ 10 MB added
 * memory, ≤ 50 ms to load, ≤ 1 µs per check, exact — every list entry found, no false positive
 * among 1,000,000 random non-members.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { BenchSection } from "../lib/context.js";
import { figure, type Figure } from "../lib/report.js";

interface Probe {
  readonly mode: "index" | "set";
  readonly addedRssMB: number;
  readonly addedHeapMB: number;
  readonly loadMs: number;
  readonly listEntries: number;
  readonly found: number;
  readonly memberLookupNs: number;
  readonly nonMembersChecked: number;
  readonly falsePositives: number;
  readonly nonMemberLookupNs: number;
}

const PROBE = fileURLToPath(new URL("../lib/common-password-probe.ts", import.meta.url));

function probe(mode: "index" | "set"): Probe {
  const output = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", PROBE, mode], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  return JSON.parse(output.trim()) as Probe;
}

export const commonPasswords: BenchSection = {
  id: "common-passwords",
  title: "Common-password check: compiled index vs a JS Set of the top-1M list",
  async run(context) {
    context.log("common-passwords: probing the index and the Set in child processes");
    const index = probe("index");
    const set = probe("set");
    const memory = Math.max(index.addedRssMB, index.addedHeapMB);
    const lookupNs = Math.max(index.memberLookupNs, index.nonMemberLookupNs);
    const exact = index.found === index.listEntries && index.falsePositives === 0;
    const figures: Figure[] = [
      figure("index: added memory", `${memory.toFixed(1)} MB`, { text: "≤ 10 MB", met: memory <= 10 }),
      figure("index: load time", `${index.loadMs.toFixed(1)} ms`, { text: "≤ 50 ms", met: index.loadMs <= 50 }),
      figure("index: time per check", `${lookupNs.toFixed(0)} ns`, { text: "≤ 1000 ns", met: lookupNs <= 1000 }),
      figure(
        "index: exact",
        `${index.found.toLocaleString("en-US")}/${index.listEntries.toLocaleString("en-US")} found, ${index.falsePositives} false positives in ${index.nonMembersChecked.toLocaleString("en-US")}`,
        { text: "all found, 0 false", met: exact },
      ),
      figure("Set: added memory", `${Math.max(set.addedRssMB, set.addedHeapMB).toFixed(1)} MB`),
      figure("Set: build time", `${set.loadMs.toFixed(0)} ms`),
      figure("Set: time per check", `${Math.max(set.memberLookupNs, set.nonMemberLookupNs).toFixed(0)} ns`),
    ];
    return {
      id: this.id,
      title: this.title,
      measurements: [],
      comparisons: [],
      figures,
      problems: [],
      notes: [
        `Set: ${set.found.toLocaleString("en-US")} found, ${set.falsePositives} false positives (a Set is exact by construction).`,
        "Memory is the larger of added RSS and added heap + array buffers, after garbage collection.",
      ],
    };
  },
};
