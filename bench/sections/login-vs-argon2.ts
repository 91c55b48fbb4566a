/**
 * Sign-in throughput against its ceiling. A sign-in is one Argon2id verification plus a few
 * statements, so on a machine whose cores are busy with Argon2 it should come close to the raw
 * verification rate (goal: ≥ 0.90 of it on SQLite, ≥ 0.85 on PostgreSQL). Both keep 2 × cores
 * verifications in flight: what the server's hash limiter allows, and few enough connections
 * that nothing is refused. Each connection signs in its own person of the account, again and
 * again: successful sign-ins are not throttled, but one person's sign-ins are evaluated one at a
 * time.
 *
 * The sign-ins come from wrk in a process of its own (wrk.ts), on the same cores and unpinned
 * (Argon2 needs both): its CPU is measured and reported ("gen ms/op"), and it displaces Argon2 as
 * any client on the machine would. The raw verifications have no client at all.
 */
import { measureArgon2Verifications } from "../lib/argon2-baseline.js";
import type { BenchContext, BenchSection } from "../lib/context.js";
import { createHasherSampler, waitUntilIdle } from "../lib/hasher-sampler.js";
import { combinedLatency, loadProblems } from "../lib/load.js";
import { compare, formatRate, otherLoadProblems, type Measurement, type SectionResult } from "../lib/report.js";
import { aggregate, alternate } from "../lib/samples.js";
import type { StaffgateUnderTest } from "../lib/staffgate.js";
import { trackDatabaseProcesses } from "../lib/usage.js";
import { runWrk } from "../lib/wrk.js";

export const LOGIN_GOAL = 0.9;
export const LOGIN_GOAL_POSTGRES = 0.85;

async function measure(
  context: BenchContext,
  staffgate: StaffgateUnderTest,
  section: { id: string; title: string; label: string; goal: number },
): Promise<SectionResult> {
  const { settings, machine, log } = context;
  // The hash limiter runs 2 × cores verifications at once and queues 4 times that many.
  const inFlight = 2 * machine.cores;
  const serverCapacity = inFlight * 5;
  const connections = settings.loginConnections ?? inFlight;
  const roundSeconds = Math.max(1, Math.round(settings.seconds / settings.rounds));
  const sampler = createHasherSampler(staffgate.runtime.deps.hasher);
  const bodies = await staffgate.signInBodies(connections, false);
  log(
    `${settings.rounds} round(s) of ${roundSeconds} s each: raw Argon2id verify with ${inFlight} in flight,` +
      ` and POST /api/accounts/${staffgate.slug}/session (${section.label}) from wrk with ${connections} connections.`,
  );
  if (connections > serverCapacity) {
    log(`  (${connections} connections exceed the ${serverCapacity} sign-ins the server holds: expect 503s)`);
  }

  const runs = await alternate(
    settings.rounds,
    async (round) => {
      const result = await runWrk({
        title: `sign-in (${section.label})`,
        url: `${staffgate.origin}/api/accounts/${staffgate.slug}/session`,
        method: "POST",
        headers: { "content-type": "application/json", origin: staffgate.origin },
        bodies,
        connections,
        seconds: roundSeconds,
        warmupSeconds: round === 0 ? settings.warmupSeconds : 0,
        afterWarmup: () => waitUntilIdle(staffgate.runtime.deps.hasher),
        beforeMeasuring: () => sampler.start(),
      }).finally(() => sampler.stop());
      await waitUntilIdle(staffgate.runtime.deps.hasher);
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
    name: `POST …/session sign-in, ${section.label} (${connections} conns)`,
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
  const outside = [
    login.loadGeneratorCpuMsPerOp === undefined ? undefined : `wrk ${login.loadGeneratorCpuMsPerOp.toFixed(2)} ms`,
    login.databaseCpuMsPerOp === undefined ? undefined : `PostgreSQL ${login.databaseCpuMsPerOp.toFixed(2)} ms`,
  ].filter((part) => part !== undefined);
  const notes = [
    `Sign-in (${section.label}): the hash limiter had ${occupancy.averageInFlight.toFixed(2)} of ${inFlight} slots` +
      ` busy on average (most queued: ${occupancy.maxQueued}).`,
    `Sign-in (${section.label}): ${login.cpuMsPerOp.toFixed(2)} ms of server-process CPU per sign-in against` +
      ` ${verify.cpuMsPerOp.toFixed(2)} ms per raw verification (${(login.cpuMsPerOp - verify.cpuMsPerOp).toFixed(2)} ms` +
      ` more); ${mainCpu}${outside.length > 0 ? `; outside the process, per sign-in: ${outside.join(", ")}` : ""}.`,
  ];
  return {
    id: section.id,
    title: section.title,
    measurements: [argon2Measurement, loginMeasurement],
    comparisons: [
      compare(`sign-in (${section.label}) / raw Argon2id`, loginMeasurement, argon2Measurement, section.goal),
    ],
    problems: [
      ...loadProblems(`sign-in (${section.label})`, runs.subject),
      ...otherLoadProblems([argon2Measurement, loginMeasurement]),
    ],
    notes,
  };
}

export const loginVsArgon2: BenchSection = {
  id: "login-vs-argon2",
  title: "Sign-in throughput vs raw Argon2id verifications (SQLite)",
  run(context) {
    return measure(context, context.staffgate, { id: this.id, title: this.title, label: "SQLite", goal: LOGIN_GOAL });
  },
};

export const loginVsArgon2Postgres: BenchSection = {
  id: "login-vs-argon2-postgres",
  title: "Sign-in throughput vs raw Argon2id verifications (PostgreSQL)",
  async run(context) {
    const staffgate = await context.postgresStaffgate();
    // Its pool's backends: their CPU is the database's, not other processes'.
    trackDatabaseProcesses(await staffgate.databaseProcesses());
    try {
      return await measure(context, staffgate, {
        id: this.id,
        title: this.title,
        label: "PostgreSQL",
        goal: LOGIN_GOAL_POSTGRES,
      });
    } finally {
      trackDatabaseProcesses([]);
    }
  },
};
