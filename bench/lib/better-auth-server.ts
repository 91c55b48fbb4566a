/**
 * A Better Auth server to compare Staffgate's sign-in with: email-and-password sign-in over
 * better-sqlite3, served by a plain node:http server through `toNodeHandler` (the way Better
 * Auth's docs serve it on Node), in this process like the Staffgate under test.
 *
 * It is made as alike as the two designs allow:
 *   - the same Argon2id (@node-rs/argon2 with Staffgate's OWASP parameters) through Better
 *     Auth's `emailAndPassword.password.hash/verify` hooks, in place of its default scrypt;
 *   - the same SQLite settings as Staffgate's (WAL, synchronous = NORMAL, busy_timeout);
 *   - rate limiting off: Better Auth limits sign-ins to 3 per 10 s per IP in production, and
 *     Staffgate never throttles successful sign-ins, so a throughput run would measure the
 *     limiter;
 *   - telemetry off (it is off by default; said here so that nothing leaves the machine).
 * Its tables come from Better Auth's own migration planner (`getMigrations`), as its CLI would
 * create them.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { hash, verify, type Algorithm } from "@node-rs/argon2";
import SQLite from "better-sqlite3";
import { betterAuth } from "better-auth";
import { getMigrations } from "better-auth/db/migration";
import { toNodeHandler } from "better-auth/node";
import { OWASP_ARGON2ID } from "../../src/modules/credentials/index.js";
import { findFreePort } from "./net.js";

const ARGON2ID = 2 as Algorithm; // Algorithm.Argon2id: a const enum, which isolated modules cannot import

/** Staffgate's Argon2id parameters, for Better Auth's password hooks. */
const argon2Options = {
  algorithm: ARGON2ID,
  memoryCost: OWASP_ARGON2ID.memoryCostKiB,
  timeCost: OWASP_ARGON2ID.timeCost,
  parallelism: OWASP_ARGON2ID.parallelism,
};

export interface BetterAuthUnderTest {
  /** `http://127.0.0.1:<port>`: the listening address and Better Auth's baseURL. */
  readonly origin: string;
  /** POST here with one of `signInBodies` to sign in. */
  readonly signInUrl: string;
  /** One JSON sign-in body per user, in the order of their emails. */
  readonly signInBodies: readonly string[];
  readonly version: string;
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

export interface BetterAuthUser {
  readonly email: string;
  readonly password: string;
  readonly name: string;
}

/** Starts Better Auth with `users` signed up (through its own sign-up, so one hash each). */
export async function startBetterAuth(users: readonly BetterAuthUser[]): Promise<BetterAuthUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), "staffgate-bench-better-auth-"));
  const sqlite = new SQLite(join(dir, "better-auth.db"));
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  let server: Server | undefined;
  try {
    const port = await findFreePort();
    const origin = `http://127.0.0.1:${port}`;
    const options = {
      database: sqlite,
      baseURL: origin,
      secret: "staffgate-benchmark-secret-not-for-production-0123456789",
      emailAndPassword: {
        enabled: true,
        password: {
          hash: (password: string) => hash(password, argon2Options),
          verify: ({ hash: stored, password }: { hash: string; password: string }) => verify(stored, password),
        },
      },
      rateLimit: { enabled: false },
      telemetry: { enabled: false },
      logger: { level: "error" as const },
    };
    const { runMigrations } = await getMigrations(options);
    await runMigrations();
    const auth = betterAuth(options);

    const storedHash = sqlite.prepare<[string], { password: string | null }>(
      `SELECT a.password FROM account a JOIN user u ON u.id = a.userId WHERE u.email = ? AND a.providerId = 'credential'`,
    );
    for (const user of users) {
      await auth.api.signUpEmail({ body: { email: user.email, password: user.password, name: user.name } });
      const stored = storedHash.get(user.email)?.password;
      if (!stored?.startsWith("$argon2id$v=19$m=19456,t=2,p=1$")) {
        throw new Error(`Better Auth did not store our Argon2id hash (got ${stored?.slice(0, 30) ?? "none"})`);
      }
    }

    server = createServer(toNodeHandler(auth));
    await listen(server, port);
    const openedServer = server;
    const signInUrl = `${origin}/api/auth/sign-in/email`;
    const signInBodies = users.map((user) =>
      JSON.stringify({ email: user.email, password: user.password, rememberMe: false }),
    );
    for (const body of signInBodies) {
      const probe = await fetch(signInUrl, {
        method: "POST",
        headers: { "content-type": "application/json", origin },
        body,
      });
      if (!probe.ok || probe.headers.getSetCookie().length === 0) {
        throw new Error(`Better Auth sign-in failed: HTTP ${probe.status} ${await probe.text()}`);
      }
    }

    return {
      origin,
      signInUrl,
      signInBodies,
      version: betterAuthVersion(),
      async close() {
        await closeServer(openedServer);
        sqlite.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (server) await closeServer(server);
    sqlite.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The installed version, from its package.json (which the package does not export). */
function betterAuthVersion(): string {
  try {
    const entry = createRequire(import.meta.url).resolve("better-auth");
    const packageJson = join(dirname(entry), "..", "package.json");
    const parsed = JSON.parse(readFileSync(packageJson, "utf8")) as { name?: unknown; version?: unknown };
    return parsed.name === "better-auth" && typeof parsed.version === "string" ? parsed.version : "unknown";
  } catch {
    return "unknown";
  }
}
