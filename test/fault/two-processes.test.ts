/**
 * Two real Staffgate processes on one PostgreSQL database and one Redis, behind one public
 * origin (as behind a load balancer): what one node does, the other sees at the next request.
 * Both deliver messages (to a real SMTP server and a Twilio-speaking one) with their own outbox
 * workers, and race each other for reset tokens and SMS credits.
 */
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_OIDC_SIGNING_KEYS, TEST_OUTBOX_KEYS, adminQuery, dialects, redisTestUrl } from "../support/dialects.js";
import { freePort, killHard, startServerProcess, type ServerProcess } from "../support/process.js";
import { startSmtpServer, tokenFrom, type TestSmtpServer } from "../support/smtp.js";
import { startFakeTwilio, twilioEnv, type FakeTwilio } from "../support/twilio.js";

const postgresUrl = process.env["STAFFGATE_TEST_POSTGRES_URL"];
const canRun = dialects.includes("postgres") && redisTestUrl !== undefined;
const PUBLIC_URL = "http://portal.test";

describe.skipIf(!canRun)("two Staffgate processes on PostgreSQL and Redis", () => {
  const database = `staffgate_two_${process.pid}`;
  let a: ServerProcess;
  let b: ServerProcess;
  let ownerPassword = "";
  let smtp: TestSmtpServer;
  let twilio: FakeTwilio;
  let databaseUrl = "";

  beforeAll(async () => {
    await adminQuery(`CREATE DATABASE ${database}`);
    const url = new URL(postgresUrl as string);
    url.pathname = `/${database}`;
    databaseUrl = url.toString();
    smtp = await startSmtpServer();
    twilio = await startFakeTwilio();
    const env = {
      // A prefix of its own: counters from earlier runs (same IP, same hour) must not leak in.
      REDIS_URL: redisTestUrl as string,
      REDIS_PREFIX: `staffgate-two:${process.pid}:${Date.now()}:`,
      SMTP_URL: smtp.url,
      ...twilioEnv(twilio),
    };
    a = await startServerProcess(await freePort(), url.toString(), env, PUBLIC_URL);
    ownerPassword = /Password:\s+(\S+)/.exec(a.output())?.[1] ?? "";
    b = await startServerProcess(await freePort(), url.toString(), env, PUBLIC_URL);
  }, 90_000);

  afterAll(async () => {
    if (a) await killHard(a);
    if (b) await killHard(b);
    await smtp?.stop();
    await twilio?.close();
    await adminQuery(`DROP DATABASE IF EXISTS ${database}`);
  });

  /** `staffgate <args>` against the nodes' database, as an operator would run it. */
  function cli(args: string[], stdin = ""): unknown {
    const result = spawnSync(process.execPath, ["--import", "tsx", "src/cli-main.ts", ...args], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        OUTBOX_KEYS: TEST_OUTBOX_KEYS,
        OIDC_SIGNING_KEYS: TEST_OIDC_SIGNING_KEYS,
        LOG_LEVEL: "silent",
      },
      input: stdin,
      encoding: "utf8",
    });
    if (result.status !== 0) throw new Error(`staffgate ${args[0]} failed: ${result.stderr}`);
    return JSON.parse(result.stdout);
  }

  /** Waits until `done` holds, checking every 100 ms, for at most `ms`. */
  async function eventually(done: () => boolean, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (!done()) {
      if (Date.now() > deadline) throw new Error("timed out waiting");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

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

  describe("delivering and racing on shared state", () => {
    const BASE = "/api/accounts/relay";
    const OWNER_PASSWORD = "velvet-harbor-31";
    const STAFF = 6;
    let owner = "";
    const staffIds: string[] = [];
    const node = (i: number) => (i % 2 === 0 ? a : b);

    beforeAll(async () => {
      cli(
        [
          "account:create",
          ...["--slug", "relay", "--name", "Relay Gym", "--owner-first-name", "Rhea", "--owner-last-name", "Lind"],
          ...["--owner-email", "rhea@relay.example", "--owner-password-stdin"],
        ],
        `${OWNER_PASSWORD}\n`,
      );
      const login = await call(a, "POST", `${BASE}/session`, { login: "admin", password: OWNER_PASSWORD });
      expect(login.status).toBe(200);
      owner = login.headers.get("set-cookie")?.split(";")[0] as string;
      for (let i = 0; i < STAFF; i++) {
        const created = await call(
          node(i),
          "POST",
          `${BASE}/staff`,
          {
            username: `coach${i}`,
            firstName: "Coach",
            lastName: `Number${i}`,
            email: `coach${i}@relay.example`,
            mobilePhone: `+1 415 555 01${String(i).padStart(2, "0")}`,
            smsOptIn: true,
          },
          owner,
        );
        expect(created.status).toBe(201);
        staffIds.push(((await created.json()) as { id: string }).id);
      }
    }, 60_000);

    it("delivers each message exactly once with both nodes' workers running", { timeout: 30_000 }, async () => {
      const sent = await Promise.all(
        staffIds.map((id, i) => call(node(i), "POST", `${BASE}/staff/${id}/password-reset-email`, {}, owner)),
      );
      expect(sent.map((r) => r.status)).toEqual(staffIds.map(() => 202));
      const resets = () => smtp.messages.filter((m) => m.subject.startsWith("Reset your"));
      await eventually(() => resets().length >= STAFF, 15_000);
      // Both workers poll every second: give a duplicate time to show up.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(
        resets()
          .map((m) => m.to)
          .sort(),
      ).toEqual(staffIds.map((_, i) => `coach${i}@relay.example`).sort());
    });

    it("lets one node win when a reset link is completed on both at once", { timeout: 30_000 }, async () => {
      const mail = smtp.messages.filter((m) => m.to === "coach0@relay.example" && m.subject.startsWith("Reset your"));
      expect(mail).toHaveLength(1);
      const token = tokenFrom(mail[0] as (typeof mail)[0]);
      const attempts = await Promise.all(
        [a, b, a, b].map((target, i) =>
          call(target, "POST", "/api/password-resets/complete", {
            token,
            password: `granite-orchard-${i}1`,
            passwordConfirmation: `granite-orchard-${i}1`,
          }),
        ),
      );
      const statuses = attempts.map((r) => r.status).sort();
      expect(statuses).toEqual([204, 410, 410, 410]);
    });

    it("never overdraws SMS credits, whichever node takes the request", { timeout: 60_000 }, async () => {
      expect((await call(b, "PATCH", `${BASE}/settings`, { smsVoiceEnabled: true }, owner)).status).toBe(200);
      expect(cli(["sms-credits:grant", "--account", "relay", "--amount", "3", "--reason", "two-node test"])).toEqual({
        account: "relay",
        smsCredits: 3,
      });
      const replies = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          call(node(i), "POST", `${BASE}/staff/${staffIds[i % STAFF]}/password-reset-sms`, {}, owner),
        ),
      );
      const statuses = replies.map((r) => r.status);
      expect(statuses.filter((s) => s === 202)).toHaveLength(3);
      expect(statuses.filter((s) => s === 402)).toHaveLength(9);
      const settings = (await (await call(a, "GET", `${BASE}/settings`, undefined, owner)).json()) as {
        smsCredits: number;
      };
      expect(settings.smsCredits).toBe(0);
      await eventually(() => twilio.messages.length >= 3, 15_000);
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(twilio.messages).toHaveLength(3);
    });
  });
});
