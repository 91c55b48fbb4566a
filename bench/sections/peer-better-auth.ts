/**
 * A peer for sign-in throughput: Better Auth's email-and-password sign-in, given the same
 * Argon2id (see lib/better-auth-server.ts for how the two are made alike). Both servers run in
 * this process, one at a time, with the same connections, in alternating rounds, each
 * connection signing in its own user, from the same load generator (wrk in a process of its own,
 * lib/wrk.ts; lib/closed-loop.ts in a worker thread until 2026-12-08). Sign-in is
 * Argon2-bound in both, so the ratio mostly says how much each spends around the hash: parsing,
 * sessions, database writes, audit. There is no goal; it is a reference point.
 */
import { startBetterAuth } from "../lib/better-auth-server.js";
import type { BenchSection } from "../lib/context.js";
import { combinedLatency, loadProblems, type LoadResult } from "../lib/load.js";
import { compare, formatRate, otherLoadProblems, type Measurement } from "../lib/report.js";
import { aggregate, alternate } from "../lib/samples.js";
import { waitUntilIdle } from "../lib/hasher-sampler.js";
import { runWrk } from "../lib/wrk.js";

function toMeasurement(name: string, results: LoadResult[]): Measurement {
  return {
    name,
    unit: "logins/s",
    result: aggregate(results),
    latencyMs: combinedLatency(results),
    non2xx: results.reduce((total, r) => total + r.non2xx, 0),
    details: { rounds: results },
  };
}

export const peerBetterAuth: BenchSection = {
  id: "peer-better-auth",
  title: "Sign-in throughput: Staffgate vs Better Auth (same Argon2id, SQLite)",
  async run({ settings, machine, staffgate, log }) {
    const connections = settings.loginConnections ?? 2 * machine.cores;
    const roundSeconds = Math.max(1, Math.round(settings.seconds / settings.rounds));
    // A person per connection on both sides (Staffgate evaluates one sign-in per person at a time).
    const staffgateBodies = await staffgate.signInBodies(connections, false);
    const betterAuth = await startBetterAuth(
      Array.from({ length: connections }, (_, i) => ({
        email: `person-${i + 1}@harbor.example`,
        password: staffgate.password,
        name: `Person ${i + 1}`,
      })),
    );
    try {
      log(
        `Better Auth ${betterAuth.version} (node:http + toNodeHandler, better-sqlite3, Argon2id m=19456 t=2 p=1).` +
          ` ${settings.rounds} round(s) of ${roundSeconds.toFixed(1)} s each, ${connections} connections.`,
      );
      const runs = await alternate(
        settings.rounds,
        async (round) => {
          const result = await runWrk({
            title: "Staffgate sign-in",
            url: `${staffgate.origin}/api/accounts/${staffgate.slug}/session`,
            method: "POST",
            headers: { "content-type": "application/json", origin: staffgate.origin },
            bodies: staffgateBodies,
            connections,
            seconds: roundSeconds,
            warmupSeconds: round === 0 ? settings.warmupSeconds : 0,
            afterWarmup: () => waitUntilIdle(staffgate.runtime.deps.hasher),
          });
          await waitUntilIdle(staffgate.runtime.deps.hasher);
          log(`  round ${round + 1}: Staffgate ${formatRate(result.count / result.seconds)} logins/s`);
          return result;
        },
        async (round) => {
          const result = await runWrk({
            title: "Better Auth sign-in",
            url: betterAuth.signInUrl,
            method: "POST",
            headers: { "content-type": "application/json", origin: betterAuth.origin },
            bodies: betterAuth.signInBodies,
            connections,
            seconds: roundSeconds,
            warmupSeconds: round === 0 ? settings.warmupSeconds : 0,
          });
          // Its last requests finish after wrk has gone, as Staffgate's do (waitUntilIdle above).
          await new Promise((resolve) => setTimeout(resolve, 200));
          log(`  round ${round + 1}: Better Auth ${formatRate(result.count / result.seconds)} logins/s`);
          return result;
        },
      );

      const staffgateLogin = toMeasurement(`Staffgate POST …/session (${connections} conns)`, runs.subject);
      const betterAuthLogin = toMeasurement(
        `Better Auth ${betterAuth.version} POST /sign-in/email (${connections} conns)`,
        runs.baseline,
      );
      const cpu = (m: Measurement) => `${m.result.cpuMsPerOp.toFixed(2)} ms`;
      const main = (m: Measurement) =>
        m.result.mainThreadCpuMsPerOp === undefined ? "?" : `${m.result.mainThreadCpuMsPerOp.toFixed(2)} ms`;
      return {
        id: this.id,
        title: this.title,
        measurements: [staffgateLogin, betterAuthLogin],
        comparisons: [compare("Staffgate / Better Auth sign-in", staffgateLogin, betterAuthLogin, undefined)],
        problems: [
          ...loadProblems("Staffgate sign-in", runs.subject),
          ...loadProblems("Better Auth sign-in", runs.baseline),
          ...otherLoadProblems([staffgateLogin, betterAuthLogin]),
        ],
        notes: [
          `Peer: process CPU per sign-in ${cpu(staffgateLogin)} (Staffgate) vs ${cpu(betterAuthLogin)} (Better Auth);` +
            ` main thread alone ${main(staffgateLogin)} vs ${main(betterAuthLogin)}.`,
          "Peer: Better Auth runs with rate limiting off (it allows 3 sign-ins per 10 s per IP in production)" +
            " and Staffgate with its production settings (successful sign-ins are never throttled).",
        ],
      };
    } finally {
      await betterAuth.close();
    }
  },
};
