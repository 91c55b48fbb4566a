/**
 * A real Staffgate server for the benchmarks: the production composition (OWASP Argon2id
 * parameters, default hash limiter, pino at `silent`) over a fresh SQLite file in a temp dir,
 * with one business whose owner has a known password.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { createRuntime, type Runtime } from "../../src/composition.js";
import { loadConfig } from "../../src/config/config.js";
import { buildApp } from "../../src/http/app.js";
import { sessionCookieName } from "../../src/http/session-auth.js";
import { createAccount } from "../../src/modules/accounts/index.js";
import { findFreePort } from "./net.js";

export const BENCH_SLUG = "bench";
export const BENCH_LOGIN = "admin";
/** Must pass the password policy, so it avoids the slug "bench" and the owner's names. */
export const BENCH_PASSWORD = "copper-lantern-2931";

export interface StaffgateUnderTest {
  /** `http://127.0.0.1:<port>`: both the listening address and PUBLIC_URL. */
  readonly origin: string;
  readonly slug: string;
  readonly login: string;
  readonly password: string;
  readonly dbPath: string;
  readonly ownerId: string;
  /** The owner's stored Argon2id hash (PHC string). */
  readonly ownerPasswordHash: string;
  readonly runtime: Runtime;
  readonly app: FastifyInstance;
  /** JSON body of a successful sign-in. */
  signInBody(staySignedIn: boolean): string;
  /** Signs in over HTTP and returns the `name=value` session cookie. */
  signIn(staySignedIn: boolean): Promise<string>;
  close(): Promise<void>;
}

export async function startStaffgate(): Promise<StaffgateUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), "staffgate-bench-"));
  const dbPath = join(dir, "bench.db");
  let runtime: Runtime | undefined;
  let app: FastifyInstance | undefined;
  try {
    const port = await findFreePort();
    const origin = `http://127.0.0.1:${port}`;
    const config = loadConfig({
      DATABASE_URL: `sqlite:${dbPath}`,
      LOG_LEVEL: "silent",
      PUBLIC_URL: origin,
      PORT: `${port}`,
    });
    runtime = await createRuntime(config);
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
    const openedRuntime = runtime;
    const openedApp = app;
    return {
      origin,
      slug: BENCH_SLUG,
      login: BENCH_LOGIN,
      password: BENCH_PASSWORD,
      dbPath,
      ownerId: created.owner.id,
      ownerPasswordHash: owner.password_hash,
      runtime: openedRuntime,
      app: openedApp,
      signInBody,
      async signIn(staySignedIn) {
        const response = await fetch(`${origin}/api/accounts/${BENCH_SLUG}/session`, {
          method: "POST",
          headers: { "content-type": "application/json", origin },
          body: signInBody(staySignedIn),
        });
        const cookie = response.headers
          .getSetCookie()
          .map((header) => header.split(";")[0] ?? "")
          .find((pair) => pair.startsWith(`${cookieName}=`));
        if (!response.ok || !cookie) {
          throw new Error(`sign-in failed: HTTP ${response.status} ${await response.text()}`);
        }
        return cookie;
      },
      async close() {
        await openedApp.close();
        await openedRuntime.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await app?.close();
    await runtime?.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
