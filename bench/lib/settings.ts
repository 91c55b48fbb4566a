/** Benchmark settings from the environment, so a quick smoke run is one variable away. */

export interface BenchSettings {
  /** Measured time per measurement, in seconds, summed over its rounds (BENCH_SECONDS, default 10). */
  readonly seconds: number;
  /**
   * Rounds that each measurement and its baseline alternate in (BENCH_ROUNDS; default one per
   * 2 s of BENCH_SECONDS, at least 1, at most 5).
   */
  readonly rounds: number;
  /** Unmeasured load before the first round of each HTTP target (BENCH_WARMUP_SECONDS, default 1). */
  readonly warmupSeconds: number;
  /**
   * Connections for the sign-in runs (BENCH_LOGIN_CONNECTIONS; default undefined: 2 × cores, the
   * hash limiter's slots). More keeps Argon2 busier, up to what the server queues (10 × cores).
   */
  readonly loginConnections: number | undefined;
  /** Connections for the /me and bare-route runs (BENCH_READ_CONNECTIONS, default 10). */
  readonly readConnections: number;
  /** Connections of the sign-in flood in the load-shedding section (BENCH_FLOOD_CONNECTIONS, default 64). */
  readonly floodConnections: number;
  /** Staff counts of the accounts in the staff-list section (BENCH_STAFF_SIZES, default 100,10000,100000). */
  readonly staffSizes: readonly number[];
  /** Accounts in the larger database of the login-latency section (BENCH_ACCOUNTS, default 10000). */
  readonly accounts: number;
  /**
   * The PostgreSQL database whose fresh schema the PostgreSQL sections use (BENCH_POSTGRES_URL,
   * default postgres://postgres@127.0.0.1:5432/test); "off": those sections are skipped.
   */
  readonly postgresUrl: string | undefined;
  /** Section ids to run (BENCH_ONLY, comma-separated); empty: all of them. */
  readonly only: readonly string[];
}

function numberFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, integer = false): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new Error(`${name} must be ${integer ? "a whole number" : "a number"} ≥ ${min} (got "${raw}")`);
  }
  return value;
}

function sizesFrom(env: NodeJS.ProcessEnv, name: string, fallback: readonly number[]): readonly number[] {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return fallback;
  const sizes = raw.split(",").map((part) => Number(part.trim()));
  if (sizes.some((size) => !Number.isInteger(size) || size < 4 || size > 1_000_000)) {
    throw new Error(`${name} must be comma-separated whole numbers from 4 to 1,000,000 (got "${raw}")`);
  }
  return [...new Set(sizes)].sort((a, b) => a - b);
}

const DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test";

function postgresUrlFrom(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env["BENCH_POSTGRES_URL"]?.trim();
  if (raw === "off") return undefined;
  if (raw === undefined || raw === "") return DEFAULT_POSTGRES_URL;
  if (!/^postgres(ql)?:\/\//.test(raw))
    throw new Error(`BENCH_POSTGRES_URL must be a postgres:// URL or "off" (got "${raw}")`);
  return raw;
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  const seconds = numberFrom(env, "BENCH_SECONDS", 10, 0.5);
  return {
    seconds,
    rounds: numberFrom(env, "BENCH_ROUNDS", Math.min(5, Math.max(1, Math.floor(seconds / 2))), 1, true),
    warmupSeconds: numberFrom(env, "BENCH_WARMUP_SECONDS", 1, 0),
    loginConnections: env["BENCH_LOGIN_CONNECTIONS"]?.trim()
      ? numberFrom(env, "BENCH_LOGIN_CONNECTIONS", 0, 1, true)
      : undefined,
    readConnections: numberFrom(env, "BENCH_READ_CONNECTIONS", 10, 1, true),
    floodConnections: numberFrom(env, "BENCH_FLOOD_CONNECTIONS", 64, 1, true),
    staffSizes: sizesFrom(env, "BENCH_STAFF_SIZES", [100, 10_000, 100_000]),
    accounts: numberFrom(env, "BENCH_ACCOUNTS", 10_000, 2, true),
    postgresUrl: postgresUrlFrom(env),
    only: (env["BENCH_ONLY"] ?? "")
      .split(",")
      .map((id) => id.trim())
      .filter(Boolean),
  };
}
