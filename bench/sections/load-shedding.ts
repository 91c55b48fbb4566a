/**
 * Load shedding: a sign-in flood far above capacity (BENCH_FLOOD_CONNECTIONS, default 64,
 * against a hash limiter that holds 2 × cores in flight and 8 × cores queued) while a second
 * client reads GET …/me at a steady rate, as the portal's other users would. The server should
 * refuse what it cannot queue at once (503 overloaded, no Argon2 spent), keep signing in at
 * full speed, and keep answering everyone else quickly: goal GET /me p99 < 50 ms during the
 * flood. The same steady reads run first without the flood, for reference.
 *
 * The flood comes from lib/closed-loop.ts (a closed loop like autocannon's, in a worker thread,
 * a person per connection, that keeps latencies per status, so that the quick 503s and the slow
 * 200s are measured apart);
 * the reads from autocannon at a fixed rate, which corrects for coordinated omission.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { BenchSection } from "../lib/context.js";
import { startClosedLoop, type ClosedLoopResult, type LatencySummary } from "../lib/closed-loop.js";
import { createHasherSampler } from "../lib/hasher-sampler.js";
import { loadProblems, runLoad, type LoadResult } from "../lib/load.js";
import { figure, formatMs, formatRate, otherLoadProblems, type Measurement } from "../lib/report.js";
import { aggregate } from "../lib/samples.js";

export const ME_P99_GOAL_MS = 50;
/** Steady reads: requests per second over a few connections, well within what /me can serve. */
const ME_RATE = 100;
const ME_CONNECTIONS = 4;
/** Flood time before the reads start, so that they meet a flood in full swing. */
const RAMP_SECONDS = 0.5;

function readMeasurement(name: string, result: LoadResult): Measurement {
  return {
    name,
    unit: "req/s",
    result: aggregate([result]),
    latencyMs: { p50: result.latencyMs.p50, p99: result.latencyMs.p99 },
    non2xx: result.non2xx,
    details: { run: result },
  };
}

/** The whole flood as one measurement: its CPU per request is over every reply, 200 or 503. */
function floodMeasurement(name: string, flood: ClosedLoopResult): Measurement {
  return {
    name,
    unit: "replies/s",
    result: aggregate([{ count: flood.replies, seconds: flood.seconds, usage: flood.usage }]),
    latencyMs: { p50: roundMs(flood.latency.p50), p99: roundMs(flood.latency.p99) },
    details: { latencyByStatus: flood.latencyByStatus, errors: flood.errors, timeouts: flood.timeouts },
  };
}

function roundMs(value: number): number {
  return Math.round(value * 10) / 10;
}

const NO_REPLIES: LatencySummary = { count: 0, average: 0, p50: 0, p90: 0, p99: 0, max: 0 };

export const loadShedding: BenchSection = {
  id: "load-shedding",
  title: "Load shedding: a sign-in flood beside steady GET /me reads",
  async run({ settings, machine, staffgate, log }) {
    const floodConnections = settings.floodConnections;
    const inFlight = 2 * machine.cores;
    const capacity = inFlight * 5;
    const quietSeconds = Math.max(1, settings.seconds / 4);
    const floodSeconds = Math.max(2, settings.seconds / 2) + RAMP_SECONDS;
    const readSeconds = floodSeconds - RAMP_SECONDS - 0.5;
    const cookie = await staffgate.signIn(true);
    // A person per connection: a flood of one person's sign-ins would meet the per-person lock
    // (429) before the hash limiter, and measure that instead.
    const floodBodies = await staffgate.signInBodies(floodConnections, false);
    const me = (title: string, seconds: number, warmupSeconds: number) =>
      runLoad({
        title,
        url: `${staffgate.origin}/api/accounts/${staffgate.slug}/me`,
        headers: { cookie },
        connections: ME_CONNECTIONS,
        overallRate: ME_RATE,
        seconds,
        warmupSeconds,
      });
    log(
      `GET /me at ${ME_RATE} req/s over ${ME_CONNECTIONS} connections: ${quietSeconds.toFixed(1)} s alone, then` +
        ` ${readSeconds.toFixed(1)} s during ${floodSeconds.toFixed(1)} s of sign-ins from ${floodConnections}` +
        ` connections (the server holds ${capacity}: ${inFlight} hashing, ${capacity - inFlight} queued).`,
    );

    const quiet = await me("GET /me, quiet", quietSeconds, settings.warmupSeconds);
    log(`  quiet: GET /me p50 ${quiet.latencyMs.p50} ms, p99 ${quiet.latencyMs.p99} ms`);

    const sampler = createHasherSampler(staffgate.runtime.deps.hasher);
    const flood = startClosedLoop({
      url: `${staffgate.origin}/api/accounts/${staffgate.slug}/session`,
      method: "POST",
      headers: { "content-type": "application/json", origin: staffgate.origin },
      bodies: floodBodies,
      connections: floodConnections,
      seconds: floodSeconds,
    });
    let busy: LoadResult;
    try {
      await flood.started;
      sampler.start();
      await sleep(RAMP_SECONDS * 1000);
      busy = await me("GET /me, during the flood", readSeconds, 0);
    } finally {
      // Whatever happened to the reads, the flood ends on its own; wait for it.
      await flood.done.catch(() => undefined);
      sampler.stop();
    }
    const floodResult = await flood.done;
    const statuses = floodResult.latencyByStatus;
    const ok = statuses["200"] ?? NO_REPLIES;
    const refused = statuses["503"] ?? NO_REPLIES;
    const refusedShare = floodResult.replies > 0 ? refused.count / floodResult.replies : 0;
    const occupancy = sampler.occupancy();
    log(
      `  flood: ${floodResult.replies} replies, ${(refusedShare * 100).toFixed(1)}% 503;` +
        ` GET /me p50 ${busy.latencyMs.p50} ms, p99 ${busy.latencyMs.p99} ms`,
    );

    const quietMe = readMeasurement(`GET …/me alone (${ME_RATE} req/s, ${ME_CONNECTIONS} conns)`, quiet);
    const busyMe = readMeasurement(`GET …/me during the flood (${ME_RATE} req/s)`, busy);
    const floodAll = floodMeasurement(`Sign-in flood, 200s and 503s (${floodConnections} conns)`, floodResult);
    const perSecond = (latency: LatencySummary) => formatRate(latency.count / floodResult.seconds);

    const problems = [
      ...loadProblems("GET /me alone", [quiet]),
      ...loadProblems("GET /me during the flood", [busy]),
      ...otherLoadProblems([quietMe, busyMe, floodAll]),
    ];
    for (const [status, latency] of Object.entries(statuses)) {
      if (status !== "200" && status !== "503") problems.push(`flood: ${latency.count} × HTTP ${status}`);
    }
    if (floodResult.errors > 0) {
      problems.push(`flood: ${floodResult.errors} connection errors (${floodResult.timeouts} timeouts)`);
    }
    if (refused.count === 0) problems.push("flood: no 503 at all (was the flood above capacity?)");

    const meP99 = busy.latencyMs.p99;
    return {
      id: this.id,
      title: this.title,
      measurements: [floodAll, quietMe, busyMe],
      comparisons: [],
      figures: [
        figure(
          "Flood sign-ins answered 503 overloaded",
          `${(refusedShare * 100).toFixed(1)}% of ${floodResult.replies.toLocaleString("en-US")} (${perSecond(refused)}/s)`,
        ),
        figure("503 reply latency p50 / p99", `${formatMs(refused.p50)} / ${formatMs(refused.p99)}`),
        figure(
          "Flood sign-ins answered 200: rate, p50 / p99",
          `${perSecond(ok)}/s, ${formatMs(ok.p50)} / ${formatMs(ok.p99)}`,
        ),
        figure(`GET /me p99 during the flood (alone: ${quiet.latencyMs.p99} ms)`, `${meP99} ms`, {
          text: `< ${ME_P99_GOAL_MS} ms`,
          met: meP99 < ME_P99_GOAL_MS,
        }),
      ],
      problems,
      notes: [
        `Flood: ${perSecond(ok)} sign-ins/s accepted while ${perSecond(refused)}/s` +
          ` were refused; the hash limiter had ${occupancy.averageInFlight.toFixed(2)} of ${inFlight} slots busy on` +
          ` average (most queued: ${occupancy.maxQueued}; sampled on the busy event loop, so roughly). A refused` +
          " sign-in costs no Argon2 and no database work: it is refused at the door (a route onRequest hook)" +
          " while the hash queue is full, before its body is read.",
      ],
    };
  },
};
