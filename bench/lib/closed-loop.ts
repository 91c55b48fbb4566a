/**
 * HTTP load for what autocannon cannot do: a different body per connection (sign-ins as
 * different people: Staffgate evaluates one sign-in at a time per person, so connections that
 * all sign in the same person would mostly measure that lock), and latencies kept per HTTP
 * status (a flood's quick 503s and slow 200s measured apart), to a fraction of a millisecond.
 *
 * The requests come from closed-loop-worker.ts in a worker thread, so that the client does not
 * take turns with the server on its event loop. The worker is TypeScript like the rest of the
 * benchmark; tsx's loader does not follow `npm run bench` into worker threads on Node 20, so
 * the worker registers it first.
 */
import { Worker } from "node:worker_threads";
import type { Sample } from "./samples.js";
import { startUsage, type Usage } from "./usage.js";

export interface ClosedLoopJob {
  readonly url: string;
  readonly method: "GET" | "POST";
  readonly headers: Record<string, string>;
  /** Connection i sends bodies[i mod n]; empty: no body. */
  readonly bodies: readonly string[];
  readonly connections: number;
  readonly seconds: number;
}

/** Latencies of a set of replies, in milliseconds (not rounded). */
export interface LatencySummary {
  readonly count: number;
  readonly average: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

export interface ClosedLoopReport {
  /** From the first request to the last reply. */
  readonly seconds: number;
  /** Every reply, whatever its status. */
  readonly latency: LatencySummary;
  /** Keyed by HTTP status ("200", "503", …). */
  readonly latencyByStatus: Record<string, LatencySummary>;
  readonly errors: number;
  readonly timeouts: number;
}

export interface ClosedLoopResult extends ClosedLoopReport, Sample {
  readonly connections: number;
  /** All replies, whatever their status. */
  readonly replies: number;
}

export interface ClosedLoopRun {
  /** Resolves when the first requests go out (the worker has loaded). */
  readonly started: Promise<void>;
  /**
   * Resolves when the time is up and the last reply is in. `count` is the 2xx replies, like
   * the other HTTP runs; every status is in `latencyByStatus`.
   */
  readonly done: Promise<ClosedLoopResult>;
}

type WorkerMessage =
  { type: "started" } | { type: "done"; report: ClosedLoopReport } | { type: "failed"; error: string };

const WORKER_URL = new URL("./closed-loop-worker.ts", import.meta.url).href;
/** Registers tsx in the worker, then loads the worker module. */
const BOOTSTRAP = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(WORKER_URL)}); });`;

export function startClosedLoop(job: ClosedLoopJob): ClosedLoopRun {
  const worker = new Worker(BOOTSTRAP, { eval: true, workerData: job });
  let markStarted: () => void = () => {};
  let failStart: (error: Error) => void = () => {};
  const started = new Promise<void>((resolve, reject) => {
    markStarted = resolve;
    failStart = reject;
  });
  const done = new Promise<ClosedLoopResult>((resolve, reject) => {
    let stopUsage: (() => Usage) | undefined;
    let settled = false;
    const fail = (error: Error) => {
      settled = true;
      failStart(error);
      reject(error);
      void worker.terminate();
    };
    worker.on("message", (message: WorkerMessage) => {
      if (message.type === "started") {
        stopUsage = startUsage();
        markStarted();
      } else if (message.type === "failed") {
        fail(new Error(`load worker: ${message.error}`));
      } else {
        settled = true;
        const usage = (stopUsage ?? startUsage())();
        void worker.terminate();
        const statuses = Object.entries(message.report.latencyByStatus);
        resolve({
          ...message.report,
          connections: job.connections,
          count: statuses.filter(([status]) => status.startsWith("2")).reduce((sum, [, l]) => sum + l.count, 0),
          replies: statuses.reduce((sum, [, l]) => sum + l.count, 0),
          usage,
        });
      }
    });
    worker.once("error", fail);
    worker.once("exit", (code) => {
      if (!settled) fail(new Error(`load worker exited with code ${code} before reporting`));
    });
  });
  // A failure is reported through `done` as well; `started` alone must not go unhandled.
  started.catch(() => {});
  return { started, done };
}

export function runClosedLoop(job: ClosedLoopJob): Promise<ClosedLoopResult> {
  return startClosedLoop(job).done;
}
