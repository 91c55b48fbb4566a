/**
 * The cost of an authenticated read. Every portal request re-reads its session (one joined
 * SELECT through Kysely) behind Fastify's plugins and hooks; the floor is a bare Fastify route
 * doing one prepared better-sqlite3 SELECT on the same file. Goal: /me at ≥ 0.5 of the floor.
 * The two alternate in rounds, with the same connections, duration and request headers.
 */
import { startBareSqliteServer } from "../lib/bare-sqlite-server.js";
import type { BenchSection } from "../lib/context.js";
import { combinedLatency, loadProblems, runLoad, type LoadResult } from "../lib/load.js";
import { compare, formatRate, otherLoadProblems, type Measurement } from "../lib/report.js";
import { aggregate, alternate } from "../lib/samples.js";

export const ME_GOAL = 0.5;

/** Below this event-loop use, the bare server was waiting on the client or the OS, not working. */
const SATURATED_LOOP = 0.9;

function toMeasurement(name: string, results: LoadResult[]): Measurement {
  return {
    name,
    unit: "req/s",
    result: aggregate(results),
    latencyMs: combinedLatency(results),
    non2xx: results.reduce((total, r) => total + r.non2xx, 0),
    details: { rounds: results },
  };
}

export const meVsBareSelect: BenchSection = {
  id: "me-vs-bare-select",
  title: "Authenticated GET /me vs a bare Fastify route with one SQLite SELECT",
  async run({ settings, staffgate, log }) {
    const connections = settings.readConnections;
    const roundSeconds = settings.seconds / settings.rounds;
    // "Stay signed in": the session cannot idle out, however long the run.
    const cookie = await staffgate.signIn(true);
    const headers = { cookie };
    const bare = await startBareSqliteServer(staffgate.dbPath, staffgate.ownerId);
    try {
      log(
        `${settings.rounds} round(s) of ${roundSeconds.toFixed(1)} s each, ${connections} connections:` +
          ` GET /api/accounts/${staffgate.slug}/me, and the bare route.`,
      );
      const runs = await alternate(
        settings.rounds,
        async (round) => {
          const result = await runLoad({
            title: "GET /me",
            url: `${staffgate.origin}/api/accounts/${staffgate.slug}/me`,
            headers,
            connections,
            seconds: roundSeconds,
            warmupSeconds: round === 0 ? settings.warmupSeconds : 0,
          });
          log(
            `  round ${round + 1}: GET /me ${formatRate(result.count / result.seconds)} req/s, non-2xx ${result.non2xx}`,
          );
          return result;
        },
        async (round) => {
          const result = await runLoad({
            title: "bare SELECT",
            url: bare.url,
            headers,
            connections,
            seconds: roundSeconds,
            warmupSeconds: round === 0 ? settings.warmupSeconds : 0,
          });
          log(`  round ${round + 1}: bare SELECT ${formatRate(result.count / result.seconds)} req/s`);
          return result;
        },
      );

      const me = toMeasurement(`GET …/me with session (${connections} conns)`, runs.subject);
      const floor = toMeasurement(`Bare Fastify + 1 SELECT (${connections} conns)`, runs.baseline);
      const perRequest = (m: Measurement) =>
        `${((m.result.mainThreadCpuMsPerOp ?? m.result.eventLoopMsPerOp) * 1000).toFixed(0)} µs`;
      const notes = [
        `GET /me: the server's main thread spent ${perRequest(me)} per request, the bare route's` +
          ` ${perRequest(floor)} (${me.result.mainThreadCpuMsPerOp === undefined ? "event-loop time" : "CPU time"};` +
          ` event loops busy ${(me.result.eventLoopUtilization * 100).toFixed(0)}%` +
          ` and ${(floor.result.eventLoopUtilization * 100).toFixed(0)}% of the time).`,
      ];
      if (floor.result.eventLoopUtilization < SATURATED_LOOP) {
        notes.push(
          "The bare server's event loop was not saturated: its rate is partly bound by the load generator" +
            " and the OS sharing the same cores, so the /me ratio is, if anything, understated.",
        );
      }
      return {
        id: this.id,
        title: this.title,
        measurements: [me, floor],
        comparisons: [compare("GET /me / bare SELECT", me, floor, ME_GOAL)],
        problems: [
          ...loadProblems("GET /me", runs.subject),
          ...loadProblems("bare SELECT", runs.baseline),
          ...otherLoadProblems([me, floor]),
        ],
        notes,
      };
    } finally {
      await bare.close();
    }
  },
};
