/**
 * PostgreSQL restarted under load. A private PostgreSQL server (initdb in a temp dir, its own
 * port) is restarted while sign-ins, reads and password changes run: requests fail cleanly
 * (503 with Retry-After, never a 500), Staffgate recovers by itself afterwards, and no change is
 * half-written — each password is either the old or the new one.
 */
import { execFileSync, spawn } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.js";
import { createRuntime } from "../../src/composition.js";
import { buildApp } from "../../src/http/app.js";
import {
  TEST_HASHER,
  TEST_OIDC_SIGNING_KEYS,
  TEST_OUTBOX_KEYS,
  dialects,
  testCommonPasswords,
} from "../support/dialects.js";
import {
  ORIGIN,
  SAMPLE_ACCOUNT,
  insertStaffMember,
  seedAccount,
  sessionCookie,
  signIn,
  type TestApp,
} from "../support/http.js";
import { freePort } from "../support/process.js";

const PG_BIN = existsSync("/usr/lib/postgresql")
  ? join("/usr/lib/postgresql", readdirSync("/usr/lib/postgresql")[0] ?? "", "bin")
  : "";
const canRun = dialects.includes("postgres") && PG_BIN !== "" && process.getuid?.() === 0;

function asPostgres(command: string, args: string[]): void {
  execFileSync("runuser", ["-u", "postgres", "--", join(PG_BIN, command), ...args], { stdio: "ignore" });
}

/**
 * The same, without blocking the event loop, so the load keeps running meanwhile. Output is
 * ignored: the restarted server inherits it, and a pipe would never close.
 */
async function asPostgresAsync(command: string, args: string[]): Promise<void> {
  const child = spawn("runuser", ["-u", "postgres", "--", join(PG_BIN, command), ...args], { stdio: "ignore" });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`${command} exited with ${code}`);
}

const newPassword = (i: number) => `harbor-lamp-${i}-tide`;

describe.skipIf(!canRun)("PostgreSQL restarted under load", () => {
  const dir = mkdtempSync(join(tmpdir(), "staffgate-pg-"));
  const data = join(dir, "data");
  let port = 0;
  let t: TestApp;

  beforeAll(async () => {
    chownSync(
      dir,
      Number(execFileSync("id", ["-u", "postgres"]).toString()),
      Number(execFileSync("id", ["-g", "postgres"]).toString()),
    );
    port = await freePort();
    asPostgres("initdb", ["-D", data, "-A", "trust", "-U", "postgres"]);
    asPostgres("pg_ctl", ["-D", data, "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, "-w", "start"]);
    const config = loadConfig({
      LOG_LEVEL: "silent",
      DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/postgres`,
      OUTBOX_KEYS: TEST_OUTBOX_KEYS,
      OIDC_SIGNING_KEYS: TEST_OIDC_SIGNING_KEYS,
    });
    const runtime = await createRuntime(config, { hasher: TEST_HASHER, commonPasswords: testCommonPasswords() });
    const app = await buildApp(runtime.deps);
    t = {
      app,
      runtime: { ...runtime, config, dialectName: "postgres", location: { databaseUrl: "" }, redisPrefix: "" },
      request: ({ cookie, headers, ...rest }) =>
        app.inject({ ...rest, headers: { origin: ORIGIN, ...(cookie ? { cookie } : {}), ...headers } }),
      close: async () => {
        await app.close();
        await runtime.close();
      },
    };
  }, 60_000);

  afterAll(async () => {
    await t?.close().catch(() => undefined);
    try {
      asPostgres("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it(
    "fails requests cleanly during the restart and recovers, with no half-written change",
    { timeout: 90_000 },
    async () => {
      const { account } = await seedAccount(t);
      const people = ["ana", "ben", "cai", "dee", "eli", "fay"];
      for (const name of people)
        await insertStaffMember(t, account.id, { username: name, password: `${name}-old-pass-1` });
      const owner = sessionCookie(await signIn(t, "admin", SAMPLE_ACCOUNT.ownerPassword as string));

      const statuses: number[] = [];
      let running = true;
      const reads = (async () => {
        for (let i = 0; running && i < 5000; i++) {
          const response = await t.request({ method: "GET", url: "/api/accounts/acme-swim/me", cookie: owner });
          statuses.push(response.statusCode);
          if (response.statusCode >= 500) {
            expect(response.statusCode).toBe(503);
            expect(response.json().error.code).toBe("overloaded");
            expect(response.headers["retry-after"]).toBeDefined();
          }
        }
      })();
      const changes = people.map(async (name, i) => {
        await new Promise((resolve) => setTimeout(resolve, i * 60));
        const response = await t.request({
          method: "PUT",
          url: `/api/accounts/acme-swim/staff/stf_${name}/password`,
          cookie: owner,
          payload: { password: newPassword(i), mustChangeAtNextLogin: false },
        });
        return response.statusCode;
      });

      await new Promise((resolve) => setTimeout(resolve, 100));
      await asPostgresAsync("pg_ctl", [
        "-D",
        data,
        "-o",
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
        "-m",
        "fast",
        "-w",
        "restart",
      ]);
      const changeStatuses = await Promise.all(changes);
      await new Promise((resolve) => setTimeout(resolve, 500));
      running = false;
      await reads;

      expect(statuses.filter((status) => status >= 500 && status !== 503)).toEqual([]);
      // The restart did bite: some requests were refused while the database was away.
      expect([...statuses, ...changeStatuses].filter((status) => status === 503).length).toBeGreaterThan(0);
      expect(changeStatuses.filter((status) => status !== 200 && status !== 503)).toEqual([]);
      // Recovered: the pool reconnects by itself.
      const after = await t.request({ method: "GET", url: "/api/accounts/acme-swim/me", cookie: owner });
      expect([200, 401]).toContain(after.statusCode);
      for (const [i, name] of people.entries()) {
        const withOld = (await signIn(t, name, `${name}-old-pass-1`)).statusCode;
        const withNew = (await signIn(t, name, newPassword(i))).statusCode;
        expect([withOld, withNew].sort(), name).toEqual([200, 401]);
        if (changeStatuses[i] === 200) expect(withNew).toBe(200);
      }
    },
  );
});
