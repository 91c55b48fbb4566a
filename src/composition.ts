/**
 * The composition root: the one place where configuration becomes running parts. Everything
 * else receives its dependencies as arguments.
 */
import type { AppDeps } from "./app-deps.js";
import type { Config } from "./config/config.js";
import { openDatabase, type DatabaseHandle } from "./db/database.js";
import { migrateToLatest } from "./db/migrate.js";
import { createPasswordHasher, type PasswordHasherOptions } from "./modules/credentials/index.js";
import { createLoginThrottle, createMemoryThrottleStore } from "./modules/throttling/index.js";
import { systemClock, type Clock } from "./shared/clock.js";
import { cryptoRandom, type Random } from "./shared/random.js";

export interface Overrides {
  readonly clock?: Clock;
  readonly random?: Random;
  readonly hasher?: PasswordHasherOptions;
  /** PostgreSQL schema to use instead of `public` (tests get a fresh one each). */
  readonly postgresSchema?: string;
}

export interface Runtime {
  readonly deps: AppDeps;
  readonly database: DatabaseHandle;
  close(): Promise<void>;
}

export async function createRuntime(config: Config, overrides: Overrides = {}): Promise<Runtime> {
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
  };
  return { deps, database, close: () => database.close() };
}
