/** What every section hands back, and how the run prints and stores it. */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { ratioSpread, type Aggregate } from "./samples.js";

export interface Measurement {
  readonly name: string;
  /** e.g. "logins/s", "req/s", "verify/s". */
  readonly unit: string;
  readonly result: Aggregate;
  /** HTTP runs only: median p50 and worst p99 over the rounds. */
  readonly latencyMs?: { readonly p50: number; readonly p99: number };
  /** HTTP runs only: replies other than 2xx. */
  readonly non2xx?: number;
  /** Anything else worth keeping in the JSON file (per-round results, diagnostics). */
  readonly details?: unknown;
}

export interface Comparison {
  readonly name: string;
  readonly subject: string;
  readonly baseline: string;
  readonly ratio: number;
  /** Per-round ratios, lowest and highest: how steady the machine was. */
  readonly roundRatios: { readonly min: number; readonly max: number };
  /** The ratio the issue asks for, at least; undefined when there is none (a peer comparison). */
  readonly goal: number | undefined;
  /** Undefined when there is no goal. */
  readonly met: boolean | undefined;
}

/**
 * A number that is neither a rate nor a ratio of rates (a share of replies, a latency held to a
 * bound, how much a latency grew), with its goal in words when it has one.
 */
export interface Figure {
  readonly name: string;
  /** Formatted, with its unit. */
  readonly value: string;
  /** e.g. "< 50 ms"; undefined when the figure is only reported. */
  readonly goal: string | undefined;
  readonly met: boolean | undefined;
}

export interface SectionResult {
  readonly id: string;
  readonly title: string;
  readonly measurements: readonly Measurement[];
  readonly comparisons: readonly Comparison[];
  /** Key figures beside the measurements and ratios (absent in sections that have none). */
  readonly figures?: readonly Figure[];
  /** Anything that makes the numbers doubtful (non-2xx replies, errors, other load, …). */
  readonly problems: readonly string[];
  /** Observations that explain the numbers. */
  readonly notes: readonly string[];
}

/** Rate of `subject` ÷ rate of `baseline`; `goal` undefined for a comparison held to none. */
export function compare(
  name: string,
  subject: Measurement,
  baseline: Measurement,
  goal: number | undefined,
): Comparison {
  const ratio = baseline.result.perSecond > 0 ? subject.result.perSecond / baseline.result.perSecond : 0;
  return {
    name,
    subject: subject.name,
    baseline: baseline.name,
    ratio,
    roundRatios: ratioSpread(subject.result, baseline.result),
    goal,
    met: goal === undefined ? undefined : ratio >= goal,
  };
}

export function figure(name: string, value: string, goal?: { readonly text: string; readonly met: boolean }): Figure {
  return { name, value, goal: goal?.text, met: goal?.met };
}

/** Milliseconds as autocannon reports them (whole ms) or finer, for tables. */
export function formatMs(value: number): string {
  return value >= 10 ? `${value.toFixed(0)} ms` : `${value.toFixed(value >= 1 ? 1 : 2)} ms`;
}

/** Other processes using this much CPU (in cores, on average) make a run doubtful. */
const OTHER_LOAD_LIMIT_CORES = 0.2;

export function otherLoadProblems(measurements: readonly Measurement[]): string[] {
  return measurements
    .filter((m) => (m.result.otherProcessesCores ?? 0) > OTHER_LOAD_LIMIT_CORES)
    .map(
      (m) =>
        `${m.name}: other processes kept ${m.result.otherProcessesCores?.toFixed(2)} cores busy meanwhile` +
        " (tests, builds, a browser?): the machine was not quiet",
    );
}

export function formatRate(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  rightAligned: ReadonlySet<number>,
): string[] {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return rightAligned.has(column) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((width) => "─".repeat(width)).join("  "), ...rows.map(line)];
}

export function summaryLines(sections: readonly SectionResult[]): string[] {
  const measurements = sections.flatMap((section) => section.measurements);
  const lines = table(
    [
      "Measurement",
      "Rate",
      "Unit",
      "p50 ms",
      "p99 ms",
      "non-2xx",
      "CPU ms/op",
      "main ms/op",
      "gen ms/op",
      "db ms/op",
      "loop busy",
      "other CPU",
    ],
    measurements.map((m) => [
      m.name,
      formatRate(m.result.perSecond),
      m.unit,
      m.latencyMs ? String(m.latencyMs.p50) : "–",
      m.latencyMs ? String(m.latencyMs.p99) : "–",
      m.non2xx !== undefined ? String(m.non2xx) : "–",
      m.result.cpuMsPerOp.toFixed(3),
      m.result.mainThreadCpuMsPerOp === undefined ? "?" : m.result.mainThreadCpuMsPerOp.toFixed(3),
      m.result.loadGeneratorCpuMsPerOp === undefined ? "–" : m.result.loadGeneratorCpuMsPerOp.toFixed(3),
      m.result.databaseCpuMsPerOp === undefined ? "–" : m.result.databaseCpuMsPerOp.toFixed(3),
      `${(m.result.eventLoopUtilization * 100).toFixed(0)}%`,
      m.result.otherProcessesCores === undefined ? "?" : `${m.result.otherProcessesCores.toFixed(2)} cores`,
    ]),
    new Set([1, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
  );
  lines.push(
    "CPU ms/op: this process's CPU per operation, all threads (Argon2 pool, server, an in-process load generator);",
    "main ms/op: the server's main thread alone; gen ms/op: wrk's CPU, when it was the load generator (a child",
    "process, not in CPU ms/op); db ms/op: the PostgreSQL backends serving the server; loop busy: its event loop's",
    "busy share of the run;",
    "other CPU: cores that other processes kept busy meanwhile. Latencies: median p50, worst p99 of the rounds.",
  );
  const comparisons = sections.flatMap((section) => section.comparisons);
  if (comparisons.length > 0) {
    lines.push("");
    lines.push(
      ...table(
        ["Ratio", "Value", "Rounds min–max", "Goal"],
        comparisons.map((c) => [
          c.name,
          c.ratio.toFixed(3),
          `${c.roundRatios.min.toFixed(2)}–${c.roundRatios.max.toFixed(2)}`,
          c.goal === undefined ? "none (reported only)" : `goal ≥ ${c.goal}: ${c.met ? "met" : "not met"}`,
        ]),
        new Set([1, 2]),
      ),
    );
  }
  const figures = sections.flatMap((section) => section.figures ?? []);
  if (figures.length > 0) {
    lines.push("");
    lines.push(
      ...table(
        ["Figure", "Value", "Goal"],
        figures.map((f) => [f.name, f.value, f.goal === undefined ? "–" : `${f.goal}: ${f.met ? "met" : "not met"}`]),
        new Set([1]),
      ),
    );
  }
  const notes = sections.flatMap((section) => section.notes);
  if (notes.length > 0) {
    lines.push("", "Notes:", ...notes.map((note) => `  - ${note}`));
  }
  const problems = sections.flatMap((section) => section.problems);
  lines.push("");
  if (problems.length === 0) {
    lines.push("Benchmark problems: none (all replies 2xx, no connection errors, no other load seen).");
  } else {
    lines.push("Benchmark problems (these make the numbers above doubtful):");
    lines.push(...problems.map((problem) => `  - ${problem}`));
  }
  return lines;
}

export function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(value, null, 2) + "\n");
}
