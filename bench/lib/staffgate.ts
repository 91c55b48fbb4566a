/**
 * A real Staffgate server for the benchmarks: the production composition (OWASP Argon2id
 * parameters, default hash limiter, pino at `silent`) over a fresh SQLite file in a temp dir, or
 * over a fresh schema of a PostgreSQL database (dropped on close), with one business whose owner
 * has a known password.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import pg from "pg";
import { createRuntime, type Runtime } from "../../src/composition.js";
import { loadConfig } from "../../src/config/config.js";
import { buildApp } from "../../src/http/app.js";
import { sessionCookieName } from "../../src/http/session-auth.js";
import { createAccount } from "../../src/modules/accounts/index.js";
import { newSigningKey } from "../../src/modules/identity-provider/signing-keys.js";
import { insertStaff } from "../../src/modules/staff/index.js";
import { cryptoRandom, newId } from "../../src/shared/random.js";
import { findFreePort } from "./net.js";

export const BENCH_SLUG = "bench";
export const BENCH_LOGIN = "admin";
/** Must pass the password policy, so it avoids the slug "bench" and the owner's names. */
export const BENCH_PASSWORD = "copper-lantern-2931";
/** Usernames of the people that `signInBodies` makes: signin-1, signin-2, … */
const SIGN_IN_PERSON_PREFIX = "signin-";

export interface StaffgateUnderTest {
  /** `http://127.0.0.1:<port>`: both the listening address and PUBLIC_URL. */
  readonly origin: string;
  readonly slug: string;
  readonly login: string;
  readonly password: string;
  /** Where its data is: a SQLite file, or a PostgreSQL schema. */
  readonly database:
    | { readonly dialect: "sqlite"; readonly path: string }
    | { readonly dialect: "postgres"; readonly url: string; readonly schema: string };
  /** PostgreSQL: the backends of the server's pool, every connection opened first (pg_stat_activity); SQLite: none. */
  databaseProcesses(): Promise<number[]>;
  readonly ownerId: string;
  /** The owner's stored Argon2id hash (PHC string). */
  readonly ownerPasswordHash: string;
  readonly runtime: Runtime;
  readonly app: FastifyInstance;
  /** JSON body of a successful sign-in (as the owner). */
  signInBody(staySignedIn: boolean): string;
  /**
   * JSON bodies of successful sign-ins as `count` different people of the account, for load
   * with a person per connection: Staffgate evaluates one sign-in at a time per person, so
   * concurrent sign-ins of one person would be refused. They are made on first use, with the
   * owner's password (and its stored hash, so no Argon2 work).
   */
  signInBodies(count: number, staySignedIn: boolean): Promise<string[]>;
  /** Signs in over HTTP and returns the `name=value` session cookie. */
  signIn(staySignedIn: boolean): Promise<string>;
  /** The same, as someone else: any account's slug, login and password. */
  signInAs(slug: string, login: string, password: string, staySignedIn: boolean): Promise<string>;
  close(): Promise<void>;
}

/** Runs one statement on the PostgreSQL server (a schema made or dropped). */
async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export interface StaffgateOptions {
  /** A PostgreSQL database (e.g. postgres://postgres@127.0.0.1:5432/test) to use a fresh schema of. */
  readonly postgresUrl?: string;
}

export async function startStaffgate(options: StaffgateOptions = {}): Promise<StaffgateUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), "staffgate-bench-"));
  const dbPath = join(dir, "bench.db");
  const { postgresUrl } = options;
  const schema = `bench_${process.pid}_${Date.now()}`;
  // Its backends are found by this name in pg_stat_activity, for their CPU (usage.ts).
  const applicationName = `staffgate-bench-${process.pid}-${Date.now()}`;
  let runtime: Runtime | undefined;
  let app: FastifyInstance | undefined;
  let schemaMade = false;
  const dropSchema = async () => {
    if (postgresUrl && schemaMade) await adminQuery(postgresUrl, `DROP SCHEMA ${schema} CASCADE`);
  };
  try {
    const port = await findFreePort();
    const origin = `http://127.0.0.1:${port}`;
    let databaseUrl = `sqlite:${dbPath}`;
    let keys = {};
    if (postgresUrl) {
      await adminQuery(postgresUrl, `CREATE SCHEMA ${schema}`);
      schemaMade = true;
      const url = new URL(postgresUrl);
      url.searchParams.set("application_name", applicationName);
      databaseUrl = url.href;
      // A PostgreSQL node takes its keys from the environment (there is no file beside the database).
      keys = {
        OUTBOX_KEYS: randomBytes(32).toString("base64"),
        OIDC_SIGNING_KEYS: JSON.stringify({ keys: [newSigningKey()] }),
      };
    }
    const config = loadConfig({
      ...keys,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: "silent",
      PUBLIC_URL: origin,
      PORT: `${port}`,
    });
    runtime = await createRuntime(config, postgresUrl ? { postgresSchema: schema } : {});
    const created = await createAccount(runtime.deps, {
      slug: BENCH_SLUG,
      name: "Harbor Swim School",
      ownerFirstName: "Olivia",
      ownerLastName: "Harper",
      ownerEmail: "olivia@harbor.example",
      ownerPassword: BENCH_PASSWORD,
    });
    const owner = await runtime.deps.db
      .selectFrom("staff")
      .select(["id", "password_hash"])
      .where("id", "=", created.owner.id)
      .executeTakeFirstOrThrow();
    if (owner.password_hash === null) throw new Error("the bench owner has no password hash");

    app = await buildApp(runtime.deps);
    await app.listen({ host: "127.0.0.1", port });

    const cookieName = sessionCookieName(config.publicUrl);
    const signInBody = (staySignedIn: boolean) =>
      JSON.stringify({ login: BENCH_LOGIN, password: BENCH_PASSWORD, staySignedIn });
    const signInAs = async (slug: string, login: string, password: string, staySignedIn: boolean) => {
      const response = await fetch(`${origin}/api/accounts/${slug}/session`, {
        method: "POST",
        headers: { "content-type": "application/json", origin },
        body: JSON.stringify({ login, password, staySignedIn }),
      });
      const cookie = response.headers
        .getSetCookie()
        .map((header) => header.split(";")[0] ?? "")
        .find((pair) => pair.startsWith(`${cookieName}=`));
      if (!response.ok || !cookie) {
        throw new Error(`sign-in to ${slug} failed: HTTP ${response.status} ${await response.text()}`);
      }
      return cookie;
    };
    const openedRuntime = runtime;
    let people = 0;
    const passwordHash = owner.password_hash;
    const signInBodies = async (count: number, staySignedIn: boolean) => {
      const now = Date.now();
      await openedRuntime.deps.db.transaction().execute(async (tx) => {
        for (; people < count; people++) {
          await insertStaff(tx, {
            id: newId(cryptoRandom, "stf"),
            accountId: created.account.id,
            username: `${SIGN_IN_PERSON_PREFIX}${people + 1}`,
            firstName: "Signin",
            lastName: `Person ${people + 1}`,
            email: null,
            mobilePhone: null,
            smsOptIn: false,
            isOwner: false,
            adminFullAccess: false,
            permissions: [],
            passwordHash,
            mustChangePassword: false,
            now,
          });
        }
      });
      return Array.from({ length: count }, (_, i) =>
        JSON.stringify({ login: `${SIGN_IN_PERSON_PREFIX}${i + 1}`, password: BENCH_PASSWORD, staySignedIn }),
      );
    };
    const openedApp = app;
    const databaseProcesses = async () => {
      if (!postgresUrl) return [];
      // Every connection of the pool open (10, db/database.ts), so that all its backends are listed.
      await Promise.all(Array.from({ length: 10 }, () => sql`SELECT pg_sleep(0.05)`.execute(openedRuntime.deps.db)));
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      try {
        const result = await client.query<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE application_name = $1",
          [applicationName],
        );
        return result.rows.map((row) => row.pid);
      } finally {
        await client.end();
      }
    };
    return {
      origin,
      slug: BENCH_SLUG,
      login: BENCH_LOGIN,
      password: BENCH_PASSWORD,
      database: postgresUrl ? { dialect: "postgres", url: databaseUrl, schema } : { dialect: "sqlite", path: dbPath },
      databaseProcesses,
      ownerId: created.owner.id,
      ownerPasswordHash: owner.password_hash,
      runtime: openedRuntime,
      app: openedApp,
      signInBody,
      signInBodies,
      signIn: (staySignedIn) => signInAs(BENCH_SLUG, BENCH_LOGIN, BENCH_PASSWORD, staySignedIn),
      signInAs,
      async close() {
        await openedApp.close();
        await openedRuntime.close();
        await dropSchema();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await app?.close();
    await runtime?.close();
    await dropSchema().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
