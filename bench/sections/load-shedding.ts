/**
 * Load shedding: a sign-in flood far above capacity (BENCH_FLOOD_CONNECTIONS, default 64,
 * against a hash limiter that holds 2 × cores in flight and 8 × cores queued) while a second
 * client reads GET …/me at a steady rate, as the portal's other users would. The server should
 * refuse what it cannot queue at once (503 overloaded, no Argon2 spent), keep signing in at
 * full speed, and keep answering everyone else quickly: goal GET /me p99 < 50 ms during the
 * flood. The same steady reads run first without the flood, for reference.
 *
 * The flood comes from wrk in a process of its own (lib/wrk.ts: a thread and a person per
 * connection, replies counted per status; its latencies are over every reply, 200 or 503), so
 * that the flood's client does not run inside the server; the reads from autocannon at a fixed
 * rate in a worker thread (100 requests/s, light), which corrects for coordinated omission.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { BenchSection } from "../lib/context.js";
import { createHasherSampler } from "../lib/hasher-sampler.js";
import { loadProblems, runLoad, type LoadResult } from "../lib/load.js";
import { figure, formatMs, formatRate, otherLoadProblems, type Measurement } from "../lib/report.js";
import { aggregate } from "../lib/samples.js";
import { runWrk } from "../lib/wrk.js";

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
function floodMeasurement(name: string, flood: LoadResult): Measurement {
  const replies = Object.values(flood.statusCounts).reduce((sum, n) => sum + n, 0);
  return {
    name,
    unit: "replies/s",
    result: aggregate([{ count: replies, seconds: flood.seconds, usage: flood.usage }]),
    latencyMs: { p50: flood.latencyMs.p50, p99: flood.latencyMs.p99 },
    details: { statusCounts: flood.statusCounts, errors: flood.errors, timeouts: flood.timeouts },
  };
}

export const loadShedding: BenchSection = {
  id: "load-shedding",
  title: "Load shedding: a sign-in flood beside steady GET /me reads",
  async run({ settings, machine, staffgate, log }) {
    const floodConnections = settings.floodConnections;
    const inFlight = 2 * machine.cores;
    const capacity = inFlight * 5;
    const quietSeconds = Math.max(1, settings.seconds / 4);
    // wrk runs whole seconds.
    const floodSeconds = Math.max(3, Math.round(settings.seconds / 2 + RAMP_SECONDS));
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
    let markStarted: () => void = () => {};
    const started = new Promise<void>((resolve) => (markStarted = resolve));
    const flood = runWrk({
      title: "sign-in flood",
      url: `${staffgate.origin}/api/accounts/${staffgate.slug}/session`,
      method: "POST",
      headers: { "content-type": "application/json", origin: staffgate.origin },
      bodies: floodBodies,
      connections: floodConnections,
      seconds: floodSeconds,
      beforeMeasuring: () => markStarted(),
    });
    let busy: LoadResult;
    try {
      await started;
      sampler.start();
      await sleep(RAMP_SECONDS * 1000);
      busy = await me("GET /me, during the flood", readSeconds, 0);
    } finally {
      // Whatever happened to the reads, the flood ends on its own; wait for it.
      await flood.catch(() => undefined);
      sampler.stop();
    }
    const floodResult = await flood;
    const statuses = floodResult.statusCounts;
    const replies = Object.values(statuses).reduce((sum, n) => sum + n, 0);
    const ok = statuses["200"] ?? 0;
    const refused = statuses["503"] ?? 0;
    const refusedShare = replies > 0 ? refused / replies : 0;
    const occupancy = sampler.occupancy();
    log(
      `  flood: ${replies} replies, ${(refusedShare * 100).toFixed(1)}% 503;` +
        ` GET /me p50 ${busy.latencyMs.p50} ms, p99 ${busy.latencyMs.p99} ms`,
    );

    const quietMe = readMeasurement(`GET …/me alone (${ME_RATE} req/s, ${ME_CONNECTIONS} conns)`, quiet);
    const busyMe = readMeasurement(`GET …/me during the flood (${ME_RATE} req/s)`, busy);
    const floodAll = floodMeasurement(`Sign-in flood, 200s and 503s (${floodConnections} conns)`, floodResult);
    const perSecond = (count: number) => formatRate(count / floodResult.seconds);

    const problems = [
      ...loadProblems("GET /me alone", [quiet]),
      ...loadProblems("GET /me during the flood", [busy]),
      ...otherLoadProblems([quietMe, busyMe, floodAll]),
    ];
    for (const [status, count] of Object.entries(statuses)) {
      if (status !== "200" && status !== "503") problems.push(`flood: ${count} × HTTP ${status}`);
    }
    if (floodResult.errors > 0) {
      problems.push(`flood: ${floodResult.errors} connection errors (${floodResult.timeouts} timeouts)`);
    }
    if (refused === 0) problems.push("flood: no 503 at all (was the flood above capacity?)");

    const meP99 = busy.latencyMs.p99;
    return {
      id: this.id,
      title: this.title,
      measurements: [floodAll, quietMe, busyMe],
      comparisons: [],
      figures: [
        figure(
          "Flood sign-ins answered 503 overloaded",
          `${(refusedShare * 100).toFixed(1)}% of ${replies.toLocaleString("en-US")} (${perSecond(refused)}/s)`,
        ),
        figure(
          "Flood reply latency p50 / p99 (200s and 503s together)",
          `${formatMs(floodResult.latencyMs.p50)} / ${formatMs(floodResult.latencyMs.p99)}`,
        ),
        figure("Flood sign-ins answered 200", `${perSecond(ok)}/s`),
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
