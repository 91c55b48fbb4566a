/**
 * HTTP load with autocannon, reduced to what the report needs. Throughput counts only 2xx
 * replies: an error reply is cheap and would flatter the number, so non-2xx replies are
 * counted apart and reported as problems. With `bodies` (a body per connection), the load
 * comes from closed-loop.ts instead, which autocannon cannot do, and its latencies are finer.
 */
import autocannon from "autocannon";
import { runClosedLoop, startClosedLoop, type ClosedLoopJob, type ClosedLoopResult } from "./closed-loop.js";
import type { Sample } from "./samples.js";
import { startUsage } from "./usage.js";

export interface LoadOptions {
  readonly title: string;
  readonly url: string;
  readonly method?: "GET" | "POST";
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /**
   * A body per connection (connection i sends bodies[i mod n]): e.g. sign-ins as different
   * people. Runs on closed-loop.ts; `body` and `overallRate` must then be left out.
   */
  readonly bodies?: readonly string[];
  readonly connections: number;
  readonly seconds: number;
  /**
   * Requests per second over all connections; undefined: as fast as replies come (a closed
   * loop). With a rate, autocannon corrects latencies for coordinated omission.
   */
  readonly overallRate?: number;
  /** Unmeasured load first (JIT, caches, connection set-up); 0 for none. */
  readonly warmupSeconds?: number;
  /** Called after the warm-up, just before the measured run starts. */
  readonly beforeMeasuring?: () => void;
}

export interface LoadResult extends Sample {
  readonly title: string;
  readonly connections: number;
  /** Completed 2xx replies (the same as `count`). */
  readonly ok: number;
  readonly non2xx: number;
  /** Reply count per HTTP status. */
  readonly statusCounts: Record<string, number>;
  readonly errors: number;
  readonly timeouts: number;
  readonly latencyMs: { readonly average: number; readonly p50: number; readonly p90: number; readonly p99: number };
}

/**
 * The load is fired from a worker thread, so the client does not take turns with the server
 * on its event loop (which would make every server look alike).
 */
const LOAD_WORKERS = 1;

function cannon(options: LoadOptions, seconds: number) {
  return autocannon({
    url: options.url,
    method: options.method ?? "GET",
    headers: options.headers ?? {},
    ...(options.body !== undefined ? { body: options.body } : {}),
    ...(options.overallRate !== undefined ? { overallRate: options.overallRate } : {}),
    connections: options.connections,
    duration: seconds,
    workers: LOAD_WORKERS,
    title: options.title,
  });
}

function closedLoopJob(options: LoadOptions, bodies: readonly string[], seconds: number): ClosedLoopJob {
  return {
    url: options.url,
    method: options.method ?? "GET",
    headers: options.headers ?? {},
    bodies,
    connections: options.connections,
    seconds,
  };
}

function fromClosedLoop(options: LoadOptions, result: ClosedLoopResult): LoadResult {
  const statusCounts: Record<string, number> = {};
  for (const [status, latency] of Object.entries(result.latencyByStatus)) statusCounts[status] = latency.count;
  return {
    title: options.title,
    connections: options.connections,
    count: result.count,
    seconds: result.seconds,
    usage: result.usage,
    ok: result.count,
    non2xx: result.replies - result.count,
    statusCounts,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyMs: {
      average: result.latency.average,
      p50: roundMs(result.latency.p50),
      p90: roundMs(result.latency.p90),
      p99: roundMs(result.latency.p99),
    },
  };
}

/** Tenths of a millisecond: finer than autocannon's whole milliseconds, no false precision. */
function roundMs(value: number): number {
  return Math.round(value * 10) / 10;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { bodies } = options;
  if (bodies !== undefined) {
    if (options.body !== undefined || options.overallRate !== undefined) {
      throw new Error(`${options.title}: \`bodies\` runs closed-loop, without \`body\` or \`overallRate\``);
    }
    if (options.warmupSeconds && options.warmupSeconds > 0) {
      await runClosedLoop(closedLoopJob(options, bodies, options.warmupSeconds));
    }
    // Called once the worker has loaded and the first requests are out.
    const run = startClosedLoop(closedLoopJob(options, bodies, options.seconds));
    run.started.then(
      () => options.beforeMeasuring?.(),
      () => {},
    );
    return fromClosedLoop(options, await run.done);
  }
  if (options.warmupSeconds && options.warmupSeconds > 0) await cannon(options, options.warmupSeconds);
  options.beforeMeasuring?.();
  const stopUsage = startUsage();
  const result = await cannon(options, options.seconds);
  const usage = stopUsage();
  const statusCounts: Record<string, number> = {};
  for (const [status, { count }] of Object.entries(result.statusCodeStats ?? {})) statusCounts[status] = count;
  const ok = result["2xx"];
  return {
    title: options.title,
    connections: options.connections,
    count: ok,
    seconds: result.duration,
    usage,
    ok,
    non2xx: result.non2xx,
    statusCounts,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyMs: {
      average: result.latency.average,
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
    },
  };
}

/** Latency over several runs: the median of their medians, the worst of their p99s. */
export function combinedLatency(results: readonly LoadResult[]): { p50: number; p99: number } {
  const medians = results.map((r) => r.latencyMs.p50).sort((a, b) => a - b);
  return {
    p50: medians[Math.floor(medians.length / 2)] ?? 0,
    p99: Math.max(0, ...results.map((r) => r.latencyMs.p99)),
  };
}

/** Problems that make runs' numbers untrustworthy, in words; empty when there are none. */
export function loadProblems(title: string, results: readonly LoadResult[]): string[] {
  const problems: string[] = [];
  const statusCounts: Record<string, number> = {};
  let errors = 0;
  let timeouts = 0;
  for (const result of results) {
    for (const [status, count] of Object.entries(result.statusCounts)) {
      statusCounts[status] = (statusCounts[status] ?? 0) + count;
    }
    errors += result.errors;
    timeouts += result.timeouts;
  }
  if (results.every((result) => result.ok === 0)) problems.push(`${title}: no 2xx reply at all`);
  for (const [status, count] of Object.entries(statusCounts)) {
    if (status.startsWith("2")) continue;
    const why =
      status === "429"
        ? " (throttled: successful sign-ins never should be)"
        : status === "503"
          ? " (refused as overloaded: more requests than the hash limiter queues)"
          : "";
    problems.push(`${title}: ${count} × HTTP ${status}${why}`);
  }
  if (errors > 0) problems.push(`${title}: ${errors} connection errors (${timeouts} timeouts)`);
  return problems;
}
