/**
 * Sign-in throughput against its ceiling. A sign-in is one Argon2id verification plus a few
 * SQLite statements, so on a machine whose cores are busy with Argon2 it should come close to
 * the raw verification rate (goal: ≥ 0.85 of it). Both keep 2 × cores verifications in flight:
 * what the server's hash limiter allows, and few enough connections that nothing is refused.
 * Each connection signs in its own person of the account, again and again: successful sign-ins
 * are not throttled, but one person's sign-ins are evaluated one at a time.
 */
import { measureArgon2Verifications } from "../lib/argon2-baseline.js";
import type { BenchSection } from "../lib/context.js";
import { createHasherSampler } from "../lib/hasher-sampler.js";
import { combinedLatency, loadProblems, runLoad } from "../lib/load.js";
import { compare, formatRate, otherLoadProblems, type Measurement } from "../lib/report.js";
import { aggregate, alternate } from "../lib/samples.js";

export const LOGIN_GOAL = 0.85;

export const loginVsArgon2: BenchSection = {
  id: "login-vs-argon2",
  title: "Sign-in throughput vs raw Argon2id verifications (SQLite)",
  async run({ settings, machine, staffgate, log }) {
    // The hash limiter runs 2 × cores verifications at once and queues 4 times that many.
    const inFlight = 2 * machine.cores;
    const serverCapacity = inFlight * 5;
    const connections = settings.loginConnections ?? inFlight;
    const roundSeconds = settings.seconds / settings.rounds;
    const sampler = createHasherSampler(staffgate.runtime.deps.hasher);
    const bodies = await staffgate.signInBodies(connections, false);
    log(
      `${settings.rounds} round(s) of ${roundSeconds.toFixed(1)} s each: raw Argon2id verify with ${inFlight} in flight,` +
        ` and POST /api/accounts/${staffgate.slug}/session with ${connections} connections.`,
    );
    if (connections > serverCapacity) {
      log(`  (${connections} connections exceed the ${serverCapacity} sign-ins the server holds: expect 503s)`);
    }

    const runs = await alternate(
      settings.rounds,
      async (round) => {
        const result = await runLoad({
          title: "sign-in",
          url: `${staffgate.origin}/api/accounts/${staffgate.slug}/session`,
          method: "POST",
          headers: { "content-type": "application/json", origin: staffgate.origin },
          bodies,
          connections,
          seconds: roundSeconds,
          warmupSeconds: round === 0 ? settings.warmupSeconds : 0,
          beforeMeasuring: () => sampler.start(),
        }).finally(() => sampler.stop());
        log(`  round ${round + 1}: sign-in ${formatRate(result.count / result.seconds)}/s, non-2xx ${result.non2xx}`);
        return result;
      },
      async (round) => {
        const result = await measureArgon2Verifications({
          hash: staffgate.ownerPasswordHash,
          password: staffgate.password,
          concurrency: inFlight,
          seconds: roundSeconds,
        });
        log(`  round ${round + 1}: raw Argon2id ${formatRate(result.count / result.seconds)} verify/s`);
        return result;
      },
    );

    const verify = aggregate(runs.baseline);
    const login = aggregate(runs.subject);
    const occupancy = sampler.occupancy();
    const argon2Measurement: Measurement = {
      name: `Raw Argon2id verify (${inFlight} in flight)`,
      unit: "verify/s",
      result: verify,
      details: { rounds: runs.baseline },
    };
    const loginMeasurement: Measurement = {
      name: `POST …/session sign-in (${connections} conns)`,
      unit: "logins/s",
      result: login,
      latencyMs: combinedLatency(runs.subject),
      non2xx: runs.subject.reduce((total, r) => total + r.non2xx, 0),
      details: { rounds: runs.subject, hashLimiter: occupancy },
    };
    const mainCpu =
      login.mainThreadCpuMsPerOp === undefined
        ? `its event loop was busy ${login.eventLoopMsPerOp.toFixed(2)} ms per sign-in`
        : `the server's main thread alone used ${login.mainThreadCpuMsPerOp.toFixed(2)} ms of CPU per sign-in`;
    const notes = [
      `Sign-in: the hash limiter had ${occupancy.averageInFlight.toFixed(2)} of ${inFlight} slots busy on average` +
        ` (most queued: ${occupancy.maxQueued}).`,
      `Sign-in: ${login.cpuMsPerOp.toFixed(2)} ms of process CPU per sign-in against ${verify.cpuMsPerOp.toFixed(2)} ms` +
        ` per raw verification (${(login.cpuMsPerOp - verify.cpuMsPerOp).toFixed(2)} ms more); ${mainCpu}.`,
    ];
    return {
      id: this.id,
      title: this.title,
      measurements: [argon2Measurement, loginMeasurement],
      comparisons: [compare("sign-in / raw Argon2id", loginMeasurement, argon2Measurement, LOGIN_GOAL)],
      problems: [...loadProblems("sign-in", runs.subject), ...otherLoadProblems([argon2Measurement, loginMeasurement])],
      notes,
    };
  },
};
