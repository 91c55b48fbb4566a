/**
 * The composition root: the one place where configuration becomes running parts. Everything
 * else receives its dependencies as arguments.
 */
import type { AppDeps } from "./app-deps.js";
import type { Config } from "./config/config.js";
import { openDatabase, type DatabaseHandle } from "./db/database.js";
import { migrateToLatest } from "./db/migrate.js";
import { createPasswordHasher, type PasswordHasherOptions } from "./modules/credentials/index.js";
import { DEFAULT_INDEX_PATH, loadIndexFile, type CommonPasswordList } from "./modules/password-policy/index.js";
import { createLoginThrottle, createMemoryRateLimiter, createMemoryThrottleStore } from "./modules/throttling/index.js";
import { systemClock, type Clock } from "./shared/clock.js";
import { cryptoRandom, type Random } from "./shared/random.js";

export interface Overrides {
  readonly clock?: Clock;
  readonly random?: Random;
  readonly hasher?: PasswordHasherOptions;
  /** PostgreSQL schema to use instead of `public` (tests get a fresh one each). */
  readonly postgresSchema?: string;
  /** An already loaded common-password list (tests share one per process). */
  readonly commonPasswords?: CommonPasswordList;
}

/** The compiled list from `npm run build`; without it the server must not start. */
export function loadCommonPasswords(path = DEFAULT_INDEX_PATH): CommonPasswordList {
  try {
    return loadIndexFile(path);
  } catch (error) {
    throw new Error(`Cannot load the common-password index at ${path}: run \`npm run build\` first.`, {
      cause: error,
    });
  }
}

const PASSWORD_CHECKS_PER_MINUTE = { limit: 60, windowSeconds: 60 };

export interface Runtime {
  readonly deps: AppDeps;
  readonly database: DatabaseHandle;
  close(): Promise<void>;
}

export async function createRuntime(config: Config, overrides: Overrides = {}): Promise<Runtime> {
  const commonPasswords = overrides.commonPasswords ?? loadCommonPasswords();
  const database = openDatabase(
    config.database,
    overrides.postgresSchema ? { postgresSchema: overrides.postgresSchema } : {},
  );
  await migrateToLatest(database.db);
  const clock = overrides.clock ?? systemClock;
  const deps: AppDeps = {
    config,
    db: database.db,
    clock,
    random: overrides.random ?? cryptoRandom,
    hasher: createPasswordHasher(overrides.hasher),
    loginThrottle: createLoginThrottle(createMemoryThrottleStore(), clock),
    passwordCheckLimiter: createMemoryRateLimiter(PASSWORD_CHECKS_PER_MINUTE, clock),
    commonPasswords,
  };
  return { deps, database, close: () => database.close() };
}
