/**
 * Two real Staffgate processes on one PostgreSQL database and one Redis, behind one public
 * origin (as behind a load balancer): what one node does, the other sees at the next request.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminQuery, dialects, redisTestUrl } from "../support/dialects.js";
import { freePort, killHard, startServerProcess, type ServerProcess } from "../support/process.js";

const postgresUrl = process.env["STAFFGATE_TEST_POSTGRES_URL"];
const canRun = dialects.includes("postgres") && redisTestUrl !== undefined;
const PUBLIC_URL = "http://portal.test";

describe.skipIf(!canRun)("two Staffgate processes on PostgreSQL and Redis", () => {
  const database = `staffgate_two_${process.pid}`;
  let a: ServerProcess;
  let b: ServerProcess;
  let ownerPassword = "";

  beforeAll(async () => {
    await adminQuery(`CREATE DATABASE ${database}`);
    const url = new URL(postgresUrl as string);
    url.pathname = `/${database}`;
    // A prefix of its own: counters from earlier runs (same IP, same hour) must not leak in.
    const env = { REDIS_URL: redisTestUrl as string, REDIS_PREFIX: `staffgate-two:${process.pid}:${Date.now()}:` };
    a = await startServerProcess(await freePort(), url.toString(), env, PUBLIC_URL);
    ownerPassword = /Password:\s+(\S+)/.exec(a.output())?.[1] ?? "";
    b = await startServerProcess(await freePort(), url.toString(), env, PUBLIC_URL);
  }, 90_000);

  afterAll(async () => {
    if (a) await killHard(a);
    if (b) await killHard(b);
    await adminQuery(`DROP DATABASE IF EXISTS ${database}`);
  });

  const call = (node: ServerProcess, method: string, path: string, body?: object, cookie?: string) =>
    fetch(`${node.url}${path}`, {
      method,
      headers: {
        origin: PUBLIC_URL,
        ...(body ? { "content-type": "application/json" } : {}),
        ...(cookie ? { cookie } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  it("shares sessions: signed in on A works on B, signed out on A fails on B", { timeout: 30_000 }, async () => {
    expect(ownerPassword).not.toBe("");
    const login = await call(a, "POST", "/api/accounts/demo/session", { login: "admin", password: ownerPassword });
    expect(login.status).toBe(200);
    const cookie = login.headers.get("set-cookie")?.split(";")[0] as string;
    // The demo owner must change the one-time password first: that answer comes from either node.
    expect((await call(b, "GET", "/api/accounts/demo/me", undefined, cookie)).status).toBe(403);
    expect((await call(a, "DELETE", "/api/accounts/demo/session", undefined, cookie)).status).toBe(204);
    expect((await call(b, "GET", "/api/accounts/demo/me", undefined, cookie)).status).toBe(401);
  });

  it("shares throttling: failures on A slow the next attempt on B", { timeout: 30_000 }, async () => {
    for (let i = 0; i < 5; i++) {
      const node = i % 2 === 0 ? a : b;
      expect(
        (await call(node, "POST", "/api/accounts/demo/session", { login: "admin", password: `wrong-${i}-guess` }))
          .status,
      ).toBe(401);
    }
    expect(
      (await call(b, "POST", "/api/accounts/demo/session", { login: "admin", password: ownerPassword })).status,
    ).toBe(429);
  });
});
