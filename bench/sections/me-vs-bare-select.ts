/**
 * The cost of an authenticated read. Every portal request re-reads its session (one joined
 * SELECT) behind Fastify's plugins and hooks; the floor is a bare Fastify route doing one
 * prepared SELECT on the same database (bare-server.ts): the same SQLite file, or the same
 * PostgreSQL schema through a pool made as the server's is. Goal: /me at ≥ 0.5 of the floor.
 * The two alternate in rounds, with the same connections, duration and request headers.
 *
 * The requests come from wrk in a process of its own; on 2 cores or more this process (the
 * servers) is pinned to CPU 0 and wrk to the others (pin.ts), so that each server's one event
 * loop has a core to itself and the ratio compares the servers, not how they share a core with
 * their client.
 */
import { startBarePostgresServer, startBareSqliteServer, type BareServer } from "../lib/bare-server.js";
import type { BenchContext, BenchSection } from "../lib/context.js";
import { combinedLatency, loadProblems, type LoadResult } from "../lib/load.js";
import { pinServerApartFromLoad } from "../lib/pin.js";
import { compare, formatRate, otherLoadProblems, type Measurement, type SectionResult } from "../lib/report.js";
import { aggregate, alternate } from "../lib/samples.js";
import type { StaffgateUnderTest } from "../lib/staffgate.js";
import { trackDatabaseProcesses } from "../lib/usage.js";
import { runWrk } from "../lib/wrk.js";

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

async function measure(
  context: BenchContext,
  staffgate: StaffgateUnderTest,
  bare: BareServer,
  section: { id: string; title: string; label: string },
): Promise<SectionResult> {
  const { settings, log } = context;
  const connections = settings.readConnections;
  const roundSeconds = Math.max(1, Math.round(settings.seconds / settings.rounds));
  // "Stay signed in": the session cannot idle out, however long the run.
  const cookie = await staffgate.signIn(true);
  const headers = { cookie };
  const pinning = pinServerApartFromLoad();
  try {
    log(
      `${settings.rounds} round(s) of ${roundSeconds} s each, ${connections} connections from wrk:` +
        ` GET /api/accounts/${staffgate.slug}/me (${section.label}), and the bare route; ${pinning.description}.`,
    );
    const runs = await alternate(
      settings.rounds,
      async (round) => {
        const result = await runWrk({
          title: `GET /me (${section.label})`,
          url: `${staffgate.origin}/api/accounts/${staffgate.slug}/me`,
          headers,
          connections,
          seconds: roundSeconds,
          warmupSeconds: round === 0 ? settings.warmupSeconds : 0,
          ...(pinning.loadCpus ? { cpus: pinning.loadCpus } : {}),
        });
        log(
          `  round ${round + 1}: GET /me ${formatRate(result.count / result.seconds)} req/s, non-2xx ${result.non2xx}`,
        );
        return result;
      },
      async (round) => {
        const result = await runWrk({
          title: `bare SELECT (${section.label})`,
          url: bare.url,
          headers,
          connections,
          seconds: roundSeconds,
          warmupSeconds: round === 0 ? settings.warmupSeconds : 0,
          ...(pinning.loadCpus ? { cpus: pinning.loadCpus } : {}),
        });
        log(`  round ${round + 1}: bare SELECT ${formatRate(result.count / result.seconds)} req/s`);
        return result;
      },
    );

    const me = toMeasurement(`GET …/me with session, ${section.label} (${connections} conns)`, runs.subject);
    const floor = toMeasurement(`Bare Fastify + 1 SELECT, ${section.label} (${connections} conns)`, runs.baseline);
    const perRequest = (m: Measurement) =>
      `${((m.result.mainThreadCpuMsPerOp ?? m.result.eventLoopMsPerOp) * 1000).toFixed(0)} µs`;
    const notes = [
      `GET /me (${section.label}): the server's main thread spent ${perRequest(me)} per request, the bare route's` +
        ` ${perRequest(floor)} (${me.result.mainThreadCpuMsPerOp === undefined ? "event-loop time" : "CPU time"};` +
        ` event loops busy ${(me.result.eventLoopUtilization * 100).toFixed(0)}%` +
        ` and ${(floor.result.eventLoopUtilization * 100).toFixed(0)}% of the time; ${pinning.description}).`,
    ];
    if (floor.result.eventLoopUtilization < SATURATED_LOOP) {
      notes.push(
        `The bare server's event loop (${section.label}) was not saturated: its rate is partly bound by the load` +
          " generator, the database or the OS, so the /me ratio is, if anything, understated.",
      );
    }
    return {
      id: section.id,
      title: section.title,
      measurements: [me, floor],
      comparisons: [compare(`GET /me / bare SELECT (${section.label})`, me, floor, ME_GOAL)],
      problems: [
        ...loadProblems(`GET /me (${section.label})`, runs.subject),
        ...loadProblems(`bare SELECT (${section.label})`, runs.baseline),
        ...otherLoadProblems([me, floor]),
      ],
      notes,
    };
  } finally {
    pinning.restore();
  }
}

export const meVsBareSelect: BenchSection = {
  id: "me-vs-bare-select",
  title: "Authenticated GET /me vs a bare Fastify route with one SQLite SELECT",
  async run(context) {
    const { staffgate } = context;
    if (staffgate.database.dialect !== "sqlite") throw new Error("expected Staffgate over SQLite");
    const bare = await startBareSqliteServer(staffgate.database.path, staffgate.ownerId);
    try {
      return await measure(context, staffgate, bare, { id: this.id, title: this.title, label: "SQLite" });
    } finally {
      await bare.close();
    }
  },
};

export const meVsBareSelectPostgres: BenchSection = {
  id: "me-vs-bare-select-postgres",
  title: "Authenticated GET /me vs a bare Fastify route with one PostgreSQL SELECT",
  async run(context) {
    const staffgate = await context.postgresStaffgate();
    if (staffgate.database.dialect !== "postgres") throw new Error("expected Staffgate over PostgreSQL");
    // The server's URL: the same application_name, so that both pools' backends are found.
    const bare = await startBarePostgresServer(staffgate.database.url, staffgate.database.schema, staffgate.ownerId);
    // Both pools' backends count as the database's, not as other processes'.
    trackDatabaseProcesses(await staffgate.databaseProcesses());
    try {
      return await measure(context, staffgate, bare, { id: this.id, title: this.title, label: "PostgreSQL" });
    } finally {
      trackDatabaseProcesses([]);
      await bare.close();
    }
  },
};
