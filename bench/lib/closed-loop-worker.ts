/**
 * The load generator of closed-loop.ts, run in a worker thread: `connections` keep-alive
 * connections, each sending its request again as soon as the last reply has arrived (a closed
 * loop, as autocannon does), until the time is up. Unlike autocannon, connection i sends body
 * i mod n of the job's bodies, and every reply's latency is kept by HTTP status.
 */
import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";
import { parentPort, workerData } from "node:worker_threads";
import type { ClosedLoopJob, ClosedLoopReport, LatencySummary } from "./closed-loop.js";

/** A reply slower than this counts as a timeout (and its connection is dropped). */
const REQUEST_TIMEOUT_MS = 10_000;

interface Reply {
  readonly status: number;
  readonly ms: number;
}

class TimeoutError extends Error {}

function send(job: ClosedLoopJob, body: string | undefined, agent: Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(job.url, { method: job.method, headers: job.headers, agent }, (res) => {
      res.resume();
      res.once("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
      res.once("error", reject);
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new TimeoutError("timeout")));
    req.once("error", reject);
    req.end(body);
  });
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

function summarise(latencies: readonly number[]): LatencySummary {
  const sorted = Float64Array.from(latencies).sort();
  const total = latencies.reduce((sum, ms) => sum + ms, 0);
  return {
    count: sorted.length,
    average: sorted.length > 0 ? total / sorted.length : 0,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length > 0 ? (sorted[sorted.length - 1] ?? 0) : 0,
  };
}

async function run(job: ClosedLoopJob): Promise<ClosedLoopReport> {
  const agent = new Agent({ keepAlive: true, maxSockets: job.connections, maxFreeSockets: job.connections });
  const byStatus = new Map<number, number[]>();
  let errors = 0;
  let timeouts = 0;
  parentPort?.postMessage({ type: "started" });
  const started = performance.now();
  const deadline = started + job.seconds * 1000;
  const loop = async (connection: number) => {
    const body = job.bodies.length > 0 ? job.bodies[connection % job.bodies.length] : undefined;
    while (performance.now() < deadline) {
      try {
        const reply = await send(job, body, agent);
        let latencies = byStatus.get(reply.status);
        if (!latencies) byStatus.set(reply.status, (latencies = []));
        latencies.push(reply.ms);
      } catch (error) {
        errors++;
        if (error instanceof TimeoutError) timeouts++;
      }
    }
  };
  await Promise.all(Array.from({ length: job.connections }, (_, connection) => loop(connection)));
  // Until the last reply, so the requests that straddle the deadline count in full.
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  const latencyByStatus: Record<string, LatencySummary> = {};
  for (const [status, latencies] of byStatus) latencyByStatus[String(status)] = summarise(latencies);
  return { seconds, latency: summarise([...byStatus.values()].flat()), latencyByStatus, errors, timeouts };
}

run(workerData as ClosedLoopJob).then(
  (report) => parentPort?.postMessage({ type: "done", report }),
  (error: unknown) => parentPort?.postMessage({ type: "failed", error: String(error) }),
);
