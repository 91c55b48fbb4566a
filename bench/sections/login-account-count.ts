/**
 * Sign-in latency as the number of accounts grows: two fresh Staffgate servers, one whose
 * database holds the one benchmark account and one that also holds 9,999 more (BENCH_ACCOUNTS;
 * each with its owner, all owners sharing one precomputed hash, so seeding costs no Argon2).
 * Both sign in the same people (one per connection) of the same account, taking turns in
 * rounds, with the sign-in connections of the throughput section. The account is found by its slug and the person by
 * (account, login), both through unique indexes, so the latency should not move.
 */
import type { BenchSection } from "../lib/context.js";
import { combinedLatency, loadProblems, runLoad, type LoadResult } from "../lib/load.js";
import { figure, formatMs, formatRate, otherLoadProblems, type Measurement } from "../lib/report.js";
import { aggregate, alternate } from "../lib/samples.js";
import { seedAccounts } from "../lib/seed.js";
import { startStaffgate, type StaffgateUnderTest } from "../lib/staffgate.js";

/** p50 with many accounts over p50 with one; "flat" is at most this. */
const FLAT_GOAL = 1.25;

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

/** Mean latency over runs, weighted by their replies (finer than autocannon's whole-ms p50). */
function meanLatency(results: readonly LoadResult[]): number {
  const replies = results.reduce((sum, r) => sum + r.ok + r.non2xx, 0);
  return replies > 0 ? results.reduce((sum, r) => sum + r.latencyMs.average * (r.ok + r.non2xx), 0) / replies : 0;
}

export const loginAccountCount: BenchSection = {
  id: "login-account-count",
  title: "Sign-in latency with 1 and 10,000 accounts in the database",
  async run({ settings, machine, log }) {
    const connections = settings.loginConnections ?? 2 * machine.cores;
    const roundSeconds = settings.seconds / settings.rounds;
    const many = settings.accounts;
    let one: StaffgateUnderTest | undefined;
    let crowded: StaffgateUnderTest | undefined;
    try {
      one = await startStaffgate();
      crowded = await startStaffgate();
      const seeded = await seedAccounts(crowded.runtime.deps.db, many - 1, crowded.ownerPasswordHash);
      log(`  seeded ${seeded.count} more accounts (with their owners) in ${seeded.seconds.toFixed(1)} s`);
      log(
        `${settings.rounds} round(s) of ${roundSeconds.toFixed(1)} s each, ${connections} connections:` +
          ` POST …/session against 1 account, and against 1 of ${many.toLocaleString("en-US")}.`,
      );
      const bodies = new Map([
        [one, await one.signInBodies(connections, false)],
        [crowded, await crowded.signInBodies(connections, false)],
      ]);
      const load = (server: StaffgateUnderTest, title: string, round: number) =>
        runLoad({
          title,
          url: `${server.origin}/api/accounts/${server.slug}/session`,
          method: "POST",
          headers: { "content-type": "application/json", origin: server.origin },
          bodies: bodies.get(server) ?? [],
          connections,
          seconds: roundSeconds,
          warmupSeconds: round === 0 ? settings.warmupSeconds : 0,
        });
      const oneServer = one;
      const crowdedServer = crowded;
      const runs = await alternate(
        settings.rounds,
        async (round) => {
          const result = await load(crowdedServer, `sign-in, ${many} accounts`, round);
          log(`  round ${round + 1}: ${many} accounts p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms`);
          return result;
        },
        async (round) => {
          const result = await load(oneServer, "sign-in, 1 account", round);
          log(`  round ${round + 1}: 1 account p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms`);
          return result;
        },
      );

      const label = many.toLocaleString("en-US");
      const crowdedLogin = toMeasurement(`Sign-in, ${label} accounts in the db (${connections} conns)`, runs.subject);
      const singleLogin = toMeasurement(`Sign-in, 1 account in the db (${connections} conns)`, runs.baseline);
      const p50Growth =
        (singleLogin.latencyMs?.p50 ?? 0) > 0
          ? (crowdedLogin.latencyMs?.p50 ?? 0) / (singleLogin.latencyMs?.p50 ?? 1)
          : 0;
      const meanSingle = meanLatency(runs.baseline);
      const meanCrowded = meanLatency(runs.subject);
      return {
        id: this.id,
        title: this.title,
        measurements: [singleLogin, crowdedLogin],
        comparisons: [],
        figures: [
          figure(
            `Sign-in p50, ${label} accounts ÷ 1 account`,
            `${p50Growth.toFixed(2)}× (${singleLogin.latencyMs?.p50} → ${crowdedLogin.latencyMs?.p50} ms)`,
            { text: `≤ ${FLAT_GOAL}× (flat)`, met: p50Growth <= FLAT_GOAL },
          ),
          figure(
            `Sign-in p99, ${label} accounts vs 1 account`,
            `${crowdedLogin.latencyMs?.p99} ms vs ${singleLogin.latencyMs?.p99} ms`,
          ),
        ],
        problems: [
          ...loadProblems(`sign-in, 1 account`, runs.baseline),
          ...loadProblems(`sign-in, ${label} accounts`, runs.subject),
          ...otherLoadProblems([singleLogin, crowdedLogin]),
        ],
        notes: [
          `Accounts: mean sign-in latency ${formatMs(meanSingle)} with 1 account, ${formatMs(meanCrowded)} with ${label};` +
            ` ${formatRate(singleLogin.result.perSecond)} vs ${formatRate(crowdedLogin.result.perSecond)} logins/s.` +
            ` Seeding ${seeded.count} accounts took ${seeded.seconds.toFixed(1)} s.`,
        ],
      };
    } finally {
      await crowded?.close();
      await one?.close();
    }
  },
};
