/**
 * Two Staffgate app nodes on one database and one Redis behave as one: sessions, throttles,
 * outbox delivery, reset tokens and SMS credits are shared state, never per-node state.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { enqueueEmail, composeEmail } from "../../src/modules/messaging/index.js";
import { grantCredits } from "../../src/modules/sms-credits/index.js";
import { dialects, redisTestUrl } from "../support/dialects.js";
import {
  ORIGIN,
  SAMPLE_ACCOUNT,
  createTestApp,
  deliverMessages,
  insertStaffMember,
  seedAccount,
  sessionCookie,
  signIn,
  type TestApp,
} from "../support/http.js";
import { startSmtpServer, tokenFrom, type TestSmtpServer } from "../support/smtp.js";
import { startFakeTwilio, twilioEnv, type FakeTwilio } from "../support/twilio.js";

const BASE = `/api/accounts/${SAMPLE_ACCOUNT.slug}`;
const OWNER_PASSWORD = SAMPLE_ACCOUNT.ownerPassword as string;

describe.skipIf(!redisTestUrl).each(dialects)("two app nodes on %s with Redis", (dialect) => {
  let smtp: TestSmtpServer;
  let twilio: FakeTwilio;
  let a: TestApp;
  let b: TestApp;
  let accountId: string;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    twilio = await startFakeTwilio();
  });
  afterAll(async () => {
    await smtp.stop();
    await twilio.close();
  });

  beforeEach(async () => {
    smtp.messages.length = 0;
    twilio.messages.length = 0;
    // Credits are raced here with 30 texts to one person; the hourly caps have sms-caps.test.ts.
    const env = {
      SMTP_URL: smtp.url,
      REDIS_URL: redisTestUrl as string,
      ...twilioEnv(twilio),
      SMS_PER_PERSON_PER_HOUR: "100",
    };
    a = await createTestApp(dialect, { env });
    b = await createTestApp(dialect, { env, joinDatabaseOf: a.runtime });
    accountId = (await seedAccount(a)).account.id;
    await insertStaffMember(a, accountId, {
      username: "sam",
      password: "front-desk-pass-1",
      email: "sam@acme.example",
    });
  });
  afterEach(async () => {
    await b.close();
    await a.close();
  });

  it("rejects on node B a session that ended on node A", async () => {
    const cookie = sessionCookie(await signIn(a, "admin", OWNER_PASSWORD));
    expect((await b.request({ method: "GET", url: `${BASE}/me`, cookie })).statusCode).toBe(200);
    await a.request({ method: "DELETE", url: `${BASE}/session`, cookie });
    expect((await b.request({ method: "GET", url: `${BASE}/me`, cookie })).statusCode).toBe(401);
  });

  it("counts failed sign-ins across nodes", async () => {
    for (let i = 0; i < 5; i++) {
      const node = i % 2 === 0 ? a : b;
      expect((await signIn(node, "sam", "wrong-password-x")).statusCode).toBe(401);
    }
    const throttledOnA = await signIn(a, "sam", "front-desk-pass-1");
    const throttledOnB = await signIn(b, "sam", "front-desk-pass-1");
    expect([throttledOnA.statusCode, throttledOnB.statusCode]).toEqual([429, 429]);
  });

  it("delivers each outbox message exactly once with both workers running", async () => {
    const deps = a.runtime.deps;
    await deps.db.transaction().execute(async (tx) => {
      for (let i = 0; i < 40; i++) {
        await enqueueEmail(tx, deps, {
          accountId,
          to: `person${i}@acme.example`,
          template: "password_reset",
          email: composeEmail({ businessName: "Acme Swim", subject: `Message ${i}`, blocks: [] }),
        });
      }
    });
    const drain = async (node: TestApp) => {
      while ((await node.runtime.outboxWorker.runOnce()) > 0) {
        // keep claiming
      }
    };
    await Promise.all([drain(a), drain(b), drain(a), drain(b)]);
    expect(smtp.messages).toHaveLength(40);
    expect(new Set(smtp.messages.map((m) => m.to)).size).toBe(40);
    const rows = await deps.db.selectFrom("outbox_messages").select(["status", "attempts"]).execute();
    expect(rows.every((row) => row.status === "sent" && row.attempts === 1)).toBe(true);
  });

  it("lets one node win when the same reset link is completed on both at once", async () => {
    await a.request({ method: "POST", url: `${BASE}/password-resets`, payload: { login: "sam" } });
    await deliverMessages(a);
    const token = tokenFrom(smtp.messages.find((m) => m.to === "sam@acme.example")!);
    const attempts = Array.from({ length: 10 }, (_, i) =>
      (i % 2 === 0 ? a : b).request({
        method: "POST",
        url: "/api/password-resets/complete",
        payload: { token, password: `winner-candidate-${i}`, passwordConfirmation: `winner-candidate-${i}` },
      }),
    );
    const statuses = (await Promise.all(attempts)).map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 204)).toHaveLength(1);
    expect(statuses.filter((s) => s === 410)).toHaveLength(9);
  });

  it("never overdraws SMS credits across nodes", async () => {
    const owner = sessionCookie(await signIn(a, "admin", OWNER_PASSWORD));
    await a.request({ method: "PATCH", url: `${BASE}/settings`, cookie: owner, payload: { smsVoiceEnabled: true } });
    await a.request({
      method: "PATCH",
      url: `${BASE}/staff/stf_sam`,
      cookie: owner,
      payload: { mobilePhone: "+1 415 555 0100", smsOptIn: true },
    });
    await grantCredits(a.runtime.deps.db, a.runtime.deps, {
      accountId,
      amount: 5,
      reason: "test",
      source: "system",
      actor: { type: "system", id: null, name: "test" },
    });
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        (i % 2 === 0 ? a : b).request({
          method: "POST",
          url: `${BASE}/staff/stf_sam/password-reset-sms`,
          cookie: owner,
        }),
      ),
    );
    expect(replies.filter((r) => r.statusCode === 202)).toHaveLength(5);
    expect(replies.filter((r) => r.statusCode === 402)).toHaveLength(25);
    const account = await b.runtime.deps.db.selectFrom("accounts").select("sms_credits").executeTakeFirstOrThrow();
    expect(account.sms_credits).toBe(0);
  });
});

describe("when Redis can't be reached", () => {
  it("fails throttled actions closed with 503 while sessions keep working", async () => {
    const healthy = await createTestApp("sqlite");
    const t = await createTestApp("sqlite", {
      env: { REDIS_URL: "redis://127.0.0.1:1" },
      joinDatabaseOf: healthy.runtime,
    });
    try {
      await seedAccount(healthy);
      const cookie = sessionCookie(await signIn(healthy, "admin", OWNER_PASSWORD));
      const login = await t.app.inject({
        method: "POST",
        url: `${BASE}/session`,
        headers: { origin: ORIGIN },
        payload: { login: "admin", password: OWNER_PASSWORD },
      });
      expect(login.statusCode).toBe(503);
      expect(login.json().error.code).toBe("overloaded");
      expect(login.headers["retry-after"]).toBe("5");
      expect(login.body).not.toContain("ECONNREFUSED");
      expect((await t.request({ method: "GET", url: `${BASE}/me`, cookie })).statusCode).toBe(200);
    } finally {
      await t.close();
      await healthy.close();
    }
  });
});
