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

/**
 * The identity provider's signing key of PostgreSQL test nodes (OIDC_SIGNING_KEYS; every node of a
 * database signs with the same keys). A test-only RSA key; SQLite runtimes make a key file.
 */
export const TEST_OIDC_SIGNING_KEYS = JSON.stringify({
  keys: [
    {
      kty: "RSA",
      kid: "staffgate-test-1",
      alg: "RS256",
      use: "sig",
      n: "vJeHudHOCnzGZQ6EgzKT_VCg3I6Fbn49VHnDPmaqGftbZg7PKR1-wKeaqP5_yeWftxlFL62ECjD2ncwbmuVp8JKcN2PGB9zr4s-5s0gEbABNLlTIC5ju696lR7QR5sJLhr1xLjMuBaK-whNzO-oMq3N5fSpMK_LwXRDuerSYU6_lMOsYhw7hU6ZzqNiPyWaQFYdStiRhIGaAQSfK_0ZO9VE1nKRr-iiUlZrw2sRlmXPPeblJcYlvYcL4rtDZwINC-Z4LvU68c7mztdcFrkN559iczxZKvnEncGXKXG4kmmESFPGYfNftQtR0-G_8yvQh1coKKrSUoOS4Ht1f2o2Hpw",
      e: "AQAB",
      d: "SyXsaPB_tDEdExayWd8VFksDFm_aHnnCMX-le5-IJ3s_486B4OXGZLlEiROEUyyjNGAm8AUpyK_TDXTQCSxiRwD8q5ufxPFUs1fHrPdE_84s8wnIfsqNZcKdxJEt0vBYDRQ-3cR6EbfUYFxEvjqYmtcUMXphyN9wxPzislV1H18Xsk4lF2lfEcuCknQ8Tx5MCVleroVo4RC6hv1diFW2O_LH9kbl2rF28c9nHwwo2YiG-fRBDJf8CibiFdQpHXBv_1RZfw-3DKChl2xCo3YaQZG6u7-PRarkACRtj_9Xy14F5wMgpbbuwNOeCb0outGWKJx2rXc9h1t0jEUu8onPjQ",
      p: "6jb0vZ9g0vA-PipxDsWOhxhDOus9CabfNvA7-8ooQDPWg8whMRoxHaNtmf_KvDoqVPkPw0x9OY6Bus_RAwCwOvXjWf4qus2c07d5zH9AsIFh2qaWQR3lAQVOro1Y27v90q0T54_Mct0WX-GLvdIIKPlB34ZYh5nppsad69oXgf0",
      q: "ziI4RrmZ8hDcOoNkGYlBrOnSm8Bp4RMU0inhvdRp2odgePTl07yebr48zJv6gDKiuYu2eoZXi3y8BtDCFKO0N1xAcCkg4NH6uB_VPt9BoGmMDWz8Xl8nsn9q3kL5lV09dZ2qGfJlf80dwYP3qn8gXAbIFEW2a3Qbkgp9A4Pqn3M",
      dp: "5sMs0ePFJy_zc5ane_Fj43EhVFzP78GNbfi2cPeWPuOUOJkYHuP6foQ2CaQ_4MLCUKRwRnEHdH0XDrOQ8I9uEzmPPmyxNwo8uVCt3bGHUCC6BA9cPV4x8paDFnJHmYAYrsk-skk5G_b_A4sa_vSAe7ZSk-QvN7OKxXotwGJKBRU",
      dq: "opSm4lF9NElMCfKbvvBdFm6NqD7Iw7bzExfpbnncy3k_A-fUZX49T4dIGPFlUDuf0Mx7LoRLBD9rZcy9Zt3_RDLEuDIYNnonT5X78UzRTB4zUluFaUGP499PgOI-TCpwURX7ld9zYqt7LqhRbO47rZnDsQmS6Yl4PWV8WItxQDU",
      qi: "ltg9I6aHw3x0JLVztDZcpLJsAOrWPg2qeblOrexErnUqa8ypKdUXzTytF5LgA60E0LmnLJMc4I9TbGNjS0cHGaetA8eMl7Z0-_E1CzSR-fkzWeKjtqyIno4rLO5rhd-XxeK9Dsk5KUpEXfXbQMwCv6on7C0u8_EIXmTXK5hLjMk",
    },
  ],
});

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
  const outboxKeys =
    (joined?.dialectName ?? dialect) === "postgres"
      ? { OUTBOX_KEYS: TEST_OUTBOX_KEYS, OIDC_SIGNING_KEYS: TEST_OIDC_SIGNING_KEYS }
      : {};
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
