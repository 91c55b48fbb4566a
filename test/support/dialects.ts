/**
 * Every repository, service and HTTP test runs once per dialect: SQLite always, PostgreSQL when
 * STAFFGATE_TEST_POSTGRES_URL is set (.ci/run sets it; under CI its absence is an error, so the
 * PostgreSQL half can never be skipped silently). Each runtime gets a fresh SQLite file or a
 * fresh PostgreSQL schema.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyBaseLogger } from "fastify";
import pg from "pg";
import { loadConfig, type Config } from "../../src/config/config.js";
import { createRuntime, loadCommonPasswords, type Runtime } from "../../src/composition.js";
import type { CommonPasswordList } from "../../src/modules/password-policy/index.js";
import type { Clock } from "../../src/shared/clock.js";
import type { PasswordHasherOptions } from "../../src/modules/credentials/index.js";

export type DialectName = "sqlite" | "postgres";

const postgresUrl = process.env["STAFFGATE_TEST_POSTGRES_URL"];
if (process.env["CI"] && !postgresUrl) {
  throw new Error("CI must set STAFFGATE_TEST_POSTGRES_URL so that the PostgreSQL tests run");
}

export const dialects: DialectName[] = postgresUrl ? ["sqlite", "postgres"] : ["sqlite"];

/**
 * The outbox key of PostgreSQL test nodes (every node of a database must share one). SQLite test
 * runtimes make their own key file beside the database, as a real single node does.
 */
export const TEST_OUTBOX_KEYS = Buffer.alloc(32, 7).toString("base64");

/** Cheap Argon2id parameters for tests; production uses the OWASP ones. */
export const TEST_HASHER = {
  parameters: { memoryCostKiB: 1024, timeCost: 1, parallelism: 1 },
  maxQueued: 200,
} as const;

export interface TestRuntimeOptions {
  readonly clock?: Clock;
  /** The machine's clock, which the runtime corrects to the database's (when `clock` is not given). */
  readonly machineClock?: Clock;
  readonly env?: Record<string, string>;
  readonly hasher?: PasswordHasherOptions;
  /** A second app node: the same database (and Redis prefix) as this runtime. */
  readonly joinDatabaseOf?: TestRuntime;
  readonly redisPrefix?: string;
  readonly logger?: FastifyBaseLogger;
}

export interface TestRuntime extends Runtime {
  readonly config: Config;
  readonly dialectName: DialectName;
  /** Where its database is: a SQLite file, or a PostgreSQL schema. */
  readonly location: { readonly databaseUrl: string; readonly postgresSchema?: string };
  readonly redisPrefix: string;
}

export const redisTestUrl = process.env["STAFFGATE_TEST_REDIS_URL"];
if (process.env["CI"] && !redisTestUrl) {
  throw new Error("CI must set STAFFGATE_TEST_REDIS_URL so that the Redis tests run");
}

let counter = 0;
let sharedCommonPasswords: CommonPasswordList | undefined;

/** Loaded once per test process and shared by its runtimes (read-only). */
export function testCommonPasswords(): CommonPasswordList {
  sharedCommonPasswords ??= loadCommonPasswords();
  return sharedCommonPasswords;
}

/** A fresh database (SQLite file or PostgreSQL schema) and a cleanup that removes it. */
async function freshDatabase(
  dialect: DialectName,
): Promise<{ location: TestRuntime["location"]; drop: () => Promise<void> }> {
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "staffgate-test-"));
    return {
      location: { databaseUrl: `sqlite:${join(dir, "test.db")}` },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `t_${process.pid}_${Date.now()}_${counter++}`;
  await adminQuery(`CREATE SCHEMA ${schema}`);
  return {
    location: { databaseUrl: postgresUrl ?? "", postgresSchema: schema },
    drop: () => withSchemaLock(() => adminQuery(`DROP SCHEMA ${schema} CASCADE`)),
  };
}

export async function createTestRuntime(dialect: DialectName, options: TestRuntimeOptions = {}): Promise<TestRuntime> {
  const joined = options.joinDatabaseOf;
  const database = joined ? { location: joined.location, drop: async () => undefined } : await freshDatabase(dialect);
  const redisPrefix =
    options.redisPrefix ?? joined?.redisPrefix ?? `staffgate-test:${process.pid}:${Date.now()}:${counter++}:`;
  const outboxKeys = (joined?.dialectName ?? dialect) === "postgres" ? { OUTBOX_KEYS: TEST_OUTBOX_KEYS } : {};
  const config = loadConfig({
    LOG_LEVEL: "silent",
    ...outboxKeys,
    ...options.env,
    DATABASE_URL: database.location.databaseUrl,
  });
  const start = () =>
    createRuntime(config, {
      ...options,
      hasher: options.hasher ?? TEST_HASHER,
      commonPasswords: testCommonPasswords(),
      redisPrefix,
      ...(database.location.postgresSchema ? { postgresSchema: database.location.postgresSchema } : {}),
    });
  // A joined node migrates nothing new, but reads the catalogue all the same.
  const runtime =
    dialect === "postgres" || joined?.dialectName === "postgres" ? await withSchemaLock(start) : await start();
  return {
    ...runtime,
    config,
    dialectName: joined?.dialectName ?? dialect,
    location: database.location,
    redisPrefix,
    close: async () => {
      await runtime.close();
      await database.drop();
    },
  };
}

/**
 * Kysely's migrator reads the whole catalogue (every schema's tables), and a schema dropped by
 * another test process at that moment makes the read fail ("schema … does not exist"). Test
 * processes share one database, so migrations and drops take turns under an advisory lock.
 */
async function withSchemaLock<T>(work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock(7461)");
    return await work();
  } finally {
    await client.query("SELECT pg_advisory_unlock(7461)").catch(() => undefined);
    await client.end();
  }
}

/** Runs one statement on the test PostgreSQL server (schemas, databases). */
export async function adminQuery(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
