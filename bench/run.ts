/**
 * Staffgate benchmark (`npm run bench`; `BENCH_SECONDS=2 npm run bench` for a smoke run).
 *
 * What is measured, and why: absolute numbers depend on the machine, so each measurement of
 * Staffgate is paired with a baseline taken in the same run on the same machine, and the ratio
 * is what the issue sets goals for.
 *
 *   1. Sign-in (POST /api/accounts/{slug}/session, SQLite) against raw Argon2id verifications
 *      per second on all cores. Sign-in is meant to be bound by Argon2 alone; goal ≥ 0.90.
 *   2. Authenticated GET /api/accounts/{slug}/me against a bare Fastify route that runs one
 *      prepared better-sqlite3 SELECT. It shows what the session check, Kysely, hooks and
 *      plugins cost on every portal request; goal ≥ 0.5.
 *   1b, 2b. The same two on PostgreSQL (a fresh schema of BENCH_POSTGRES_URL's database, dropped
 *      afterwards; the bare route runs a named prepared statement on a pool made as the
 *      server's is); goals ≥ 0.85 and ≥ 0.5.
 *   3. peer-better-auth: sign-in against Better Auth's email-and-password sign-in given the same
 *      Argon2id, in alternating rounds; the ratio Staffgate / Better Auth is reported, no goal.
 *   4. staff-list-scale: GET …/staff?limit=50 (first page, a middle cursor page, two searches)
 *      in accounts of 100, 10,000 and 100,000 staff; pages should cost the same at any size.
 *   5. login-account-count: sign-in latency with 1 and with 10,000 accounts in the database.
 *   6. load-shedding: a sign-in flood far above capacity beside steady GET …/me reads: the share
 *      of 503 refusals, how fast they come back, and GET /me p99 (goal < 50 ms).
 *   7. common-passwords: the compiled top-1M index beside a JS Set of the same list, each in a
 *      child process: added memory (≤ 10 MB), load time (≤ 50 ms), time per check (≤ 1 µs),
 *      and exactness (every entry found, no false positive in 1,000,000 random strings).
 * docs/benchmarks.md has the latest results and what they mean.
 *
 * The server under test is the production composition (OWASP Argon2id parameters, default
 * hash limiter, logging at `silent`) over a fresh SQLite file in a temp dir. The load of the
 * ratios, the peer comparison and the flood comes from wrk in a process of its own (lib/wrk.ts;
 * its CPU is measured apart), the rest from autocannon in a worker thread. Runs are sequential so that they do not compete, and each
 * measurement alternates with its baseline in short rounds, so that a machine whose speed
 * drifts (a shared VM, a test suite starting) weighs on both alike. Beside each rate the run
 * records CPU per operation, the event loop's busy share, and other processes' CPU use, which
 * say where the time went and whether the machine was quiet.
 *
 * Settings (environment): BENCH_SECONDS (measured seconds per measurement, default 10),
 * BENCH_ROUNDS (default one per 2 s, at most 5), BENCH_WARMUP_SECONDS (default 1),
 * BENCH_LOGIN_CONNECTIONS (default 2 × cores), BENCH_READ_CONNECTIONS (/me and the bare route,
 * default 10), BENCH_FLOOD_CONNECTIONS (load-shedding flood, default 64), BENCH_STAFF_SIZES
 * (default 100,10000,100000), BENCH_ACCOUNTS (default 10000), BENCH_POSTGRES_URL (default
 * postgres://postgres@127.0.0.1:5432/test; "off" skips the PostgreSQL sections), BENCH_ONLY
 * (comma-separated section ids, e.g. `BENCH_ONLY=staff-list-scale,load-shedding`).
 * Output: a summary table at the end, and the same results as JSON in bench/results/latest.json.
 * It is a measurement, not a test: a goal that is not met still exits 0. It needs what the server
 * needs to start (the common-password index in dist/, from `npm run build`).
 *
 * To add a benchmark, write a BenchSection in bench/sections/ and list it in SECTIONS.
 */
import { fileURLToPath } from "node:url";
import type { BenchSection } from "./lib/context.js";
import { describeMachine, machineInfo } from "./lib/machine.js";
import { summaryLines, writeJson, type SectionResult } from "./lib/report.js";
import { loadSettings } from "./lib/settings.js";
import { startStaffgate, type StaffgateUnderTest } from "./lib/staffgate.js";
import { commonPasswords } from "./sections/common-passwords.js";
import { loadShedding } from "./sections/load-shedding.js";
import { loginAccountCount } from "./sections/login-account-count.js";
import { loginVsArgon2, loginVsArgon2Postgres } from "./sections/login-vs-argon2.js";
import { meVsBareSelect, meVsBareSelectPostgres } from "./sections/me-vs-bare-select.js";
import { peerBetterAuth } from "./sections/peer-better-auth.js";
import { staffListScale } from "./sections/staff-list-scale.js";

const SECTIONS: readonly BenchSection[] = [
  commonPasswords,
  loginVsArgon2,
  meVsBareSelect,
  loginVsArgon2Postgres,
  meVsBareSelectPostgres,
  peerBetterAuth,
  staffListScale,
  loginAccountCount,
  loadShedding,
];

const RESULTS_PATH = fileURLToPath(new URL("./results/latest.json", import.meta.url));

function print(line = ""): void {
  process.stdout.write(line + "\n");
}

function heading(title: string): void {
  print();
  print(title);
  print("=".repeat(title.length));
}

async function main(): Promise<void> {
  const settings = loadSettings();
  const unknown = settings.only.filter((id) => !SECTIONS.some((section) => section.id === id));
  if (unknown.length > 0) {
    throw new Error(`BENCH_ONLY: no section ${unknown.join(", ")} (there are ${SECTIONS.map((s) => s.id).join(", ")})`);
  }
  const sections = SECTIONS.filter((section) => settings.only.length === 0 || settings.only.includes(section.id));
  const machine = machineInfo();
  const startedAt = new Date();

  heading("Staffgate benchmark");
  for (const line of describeMachine(machine)) print(line);
  print(
    `Settings:    ${settings.seconds} s per measurement in ${settings.rounds} round(s),` +
      ` ${settings.warmupSeconds} s warm-up, ${settings.readConnections} connections for reads`,
  );

  const staffgate = await startStaffgate();
  let postgres: Promise<StaffgateUnderTest> | undefined;
  const postgresStaffgate = () => {
    const url = settings.postgresUrl;
    if (url === undefined) return Promise.reject(new Error("BENCH_POSTGRES_URL is off"));
    postgres ??= startStaffgate({ postgresUrl: url });
    return postgres;
  };
  const closeAll = async () => {
    await staffgate.close();
    const started = await postgres?.catch(() => undefined);
    await started?.close();
  };
  // Ctrl-C mid-run: still close the servers, remove the temp dir and drop the schema.
  const interrupted = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: stopping the benchmark\n`);
    void closeAll().finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  const results: SectionResult[] = [];
  try {
    for (const section of sections) {
      heading(section.title);
      try {
        results.push(await section.run({ settings, machine, staffgate, postgresStaffgate, log: print }));
      } catch (error) {
        // One section that cannot run (no PostgreSQL here, say) leaves the others' results standing.
        const why = error instanceof Error ? error.message : String(error);
        print(`  could not run: ${why}`);
        results.push({
          id: section.id,
          title: section.title,
          measurements: [],
          comparisons: [],
          problems: [`${section.id}: could not run (${why})`],
          notes: [],
        });
      }
    }
  } finally {
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
    await closeAll();
  }

  heading("Summary");
  for (const line of summaryLines(results)) print(line);

  writeJson(RESULTS_PATH, {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    settings,
    machine,
    sections: results,
  });
  print();
  print(`Results written to ${RESULTS_PATH}`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
