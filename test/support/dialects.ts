/**
 * Every repository, service and HTTP test runs once per dialect: SQLite always, PostgreSQL when
 * STAFFGATE_TEST_POSTGRES_URL is set (.ci/run sets it; under CI its absence is an error, so the
 * PostgreSQL half can never be skipped silently). Each runtime gets a fresh SQLite file or a
 * fresh PostgreSQL schema.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

/** Cheap Argon2id parameters for tests; production uses the OWASP ones. */
export const TEST_HASHER = {
  parameters: { memoryCostKiB: 1024, timeCost: 1, parallelism: 1 },
  maxQueued: 200,
} as const;

export interface TestRuntimeOptions {
  readonly clock?: Clock;
  readonly env?: Record<string, string>;
  readonly hasher?: PasswordHasherOptions;
}

export interface TestRuntime extends Runtime {
  readonly config: Config;
}

let counter = 0;
let sharedCommonPasswords: CommonPasswordList | undefined;

/** Loaded once per test process and shared by its runtimes (read-only). */
export function testCommonPasswords(): CommonPasswordList {
  sharedCommonPasswords ??= loadCommonPasswords();
  return sharedCommonPasswords;
}

export async function createTestRuntime(dialect: DialectName, options: TestRuntimeOptions = {}): Promise<TestRuntime> {
  const suffix = `${process.pid}_${Date.now()}_${counter++}`;
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "staffgate-test-"));
    const config = loadConfig({ LOG_LEVEL: "silent", ...options.env, DATABASE_URL: `sqlite:${join(dir, "test.db")}` });
    const runtime = await createRuntime(config, {
      ...options,
      hasher: options.hasher ?? TEST_HASHER,
      commonPasswords: testCommonPasswords(),
    });
    return {
      ...runtime,
      config,
      close: async () => {
        await runtime.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  const schema = `t_${suffix}`;
  await adminQuery(`CREATE SCHEMA ${schema}`);
  const config = loadConfig({ LOG_LEVEL: "silent", ...options.env, DATABASE_URL: postgresUrl ?? "" });
  const runtime = await createRuntime(config, {
    ...options,
    hasher: options.hasher ?? TEST_HASHER,
    commonPasswords: testCommonPasswords(),
    postgresSchema: schema,
  });
  return {
    ...runtime,
    config,
    close: async () => {
      await runtime.close();
      await adminQuery(`DROP SCHEMA ${schema} CASCADE`);
    },
  };
}

async function adminQuery(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
