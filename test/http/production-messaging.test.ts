/**
 * Fail-safe messaging (issue 13, item 13). In production with SMS_PROVIDER=mailbox a text would
 * only be kept in memory: Settings say `smsAvailable: false`, and "Via SMS" answers
 * `409 sms_unavailable` with nothing issued, queued or charged. `/dev/mailbox` is served only
 * with DEV_MAILBOX on (the default outside production, never in it) and only to loopback
 * clients, judged by the socket's address: anyone else gets the 404 of an unknown path.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { LightMyRequestResponse } from "fastify";
import { buildApp } from "../../src/http/app.js";
import { grantCredits } from "../../src/modules/sms-credits/index.js";
import { createTestRuntime, dialects } from "../support/dialects.js";
import {
  ORIGIN,
  SAMPLE_ACCOUNT,
  createTestApp,
  insertStaffMember,
  seedAccount,
  sessionCookie,
  signIn,
  type TestApp,
} from "../support/http.js";

const BASE = `/api/accounts/${SAMPLE_ACCOUNT.slug}`;
const OWNER_PASSWORD = SAMPLE_ACCOUNT.ownerPassword as string;
/** Production with a mail relay (required there) and texts left to the mailbox. */
const PRODUCTION = { NODE_ENV: "production", SMTP_URL: "smtp://127.0.0.1:2525", PUBLIC_URL: "http://localhost:3000" };
const TWILIO = {
  SMS_PROVIDER: "twilio",
  TWILIO_ACCOUNT_SID: "AC123",
  TWILIO_AUTH_TOKEN: "secret",
  TWILIO_FROM_NUMBER: "+15550001111",
  TWILIO_API_BASE_URL: "http://127.0.0.1:9",
};

describe.each(dialects)("texts in production without an SMS provider on %s", (dialect) => {
  const apps: TestApp[] = [];
  afterEach(async () => {
    for (const t of apps.splice(0)) await t.close();
  });

  /** A business with texts on, 5 credits and Sam, who may receive texts. */
  async function business(env: Record<string, string>) {
    const t = await createTestApp(dialect, { env });
    apps.push(t);
    const accountId = (await seedAccount(t)).account.id;
    const owner = sessionCookie(await signIn(t, "admin", OWNER_PASSWORD));
    const turnedOn = await t.request({
      method: "PATCH",
      url: `${BASE}/settings`,
      cookie: owner,
      payload: { smsVoiceEnabled: true },
    });
    expect(turnedOn.statusCode, turnedOn.body).toBe(200);
    await grantCredits(t.runtime.deps.db, t.runtime.deps, {
      accountId,
      amount: 5,
      reason: "test",
      source: "support",
      actor: { type: "support_agent", id: null, name: "Agent" },
    });
    await insertStaffMember(t, accountId, { username: "sam", password: "front-desk-pass-1" });
    const mobile = await t.request({
      method: "PATCH",
      url: `${BASE}/staff/stf_sam`,
      cookie: owner,
      payload: { mobilePhone: "+1 415 555 0100", smsOptIn: true },
    });
    expect(mobile.statusCode, mobile.body).toBe(200);
    return { t, owner, accountId, turnedOn };
  }

  async function spent(t: TestApp) {
    const db = t.runtime.deps.db;
    return {
      credits: (await db.selectFrom("accounts").select("sms_credits").executeTakeFirstOrThrow()).sms_credits,
      debits: (await db.selectFrom("sms_credit_ledger").select("id").where("kind", "=", "debit").execute()).length,
      links: (await db.selectFrom("password_reset_tokens").select("id").execute()).length,
      texts: (await db.selectFrom("outbox_messages").select("id").where("channel", "=", "sms").execute()).length,
      audited: (
        await db.selectFrom("audit_events").select("id").where("action", "=", "password_reset.link_sent").execute()
      ).length,
    };
  }

  it("reports texts unavailable and refuses one with 409 sms_unavailable, charging nothing", async () => {
    const { t, owner, turnedOn } = await business(PRODUCTION);
    expect(turnedOn.json()).toMatchObject({ smsVoiceEnabled: true, smsAvailable: false });
    const settings = await t.request({ method: "GET", url: `${BASE}/settings`, cookie: owner });
    expect(settings.json()).toMatchObject({ smsVoiceEnabled: true, smsCredits: 5, smsAvailable: false });

    const before = await spent(t);
    for (const key of [undefined, "retry-key-0001"]) {
      const response = await t.request({
        method: "POST",
        url: `${BASE}/staff/stf_sam/password-reset-sms`,
        cookie: owner,
        ...(key ? { headers: { "idempotency-key": key } } : {}),
      });
      expect(response.statusCode, response.body).toBe(409);
      expect(response.json().error.code).toBe("sms_unavailable");
      expect(response.json().error.message).toContain("nothing was sent or charged");
      expect(response.json().error.message).toContain("SMS_PROVIDER=twilio");
    }
    expect(await spent(t)).toEqual(before);
    expect(before).toMatchObject({ credits: 5, debits: 0, links: 0, texts: 0 });
    // Nothing was kept in the mailbox either.
    expect(t.runtime.deps.devMailbox?.list() ?? []).toEqual([]);

    // Email still works: it goes to the SMTP relay (queued here, the worker isn't running).
    const email = await t.request({ method: "POST", url: `${BASE}/staff/stf_sam/password-reset-email`, cookie: owner });
    expect(email.statusCode).toBe(422); // Sam has no email: the ordinary refusal, not sms_unavailable
    expect(email.json().error.code).toBe("no_email");
  });

  it("reports texts available with Twilio in production, and in development", async () => {
    for (const env of [{ ...PRODUCTION, ...TWILIO }, {}]) {
      const { t, owner } = await business(env);
      const settings = await t.request({ method: "GET", url: `${BASE}/settings`, cookie: owner });
      expect(settings.json().smsAvailable).toBe(true);
      const sent = await t.request({ method: "POST", url: `${BASE}/staff/stf_sam/password-reset-sms`, cookie: owner });
      expect(sent.statusCode, sent.body).toBe(202);
      expect(await spent(t)).toMatchObject({ credits: 4, debits: 1, texts: 1 });
    }
  });
});

describe("the dev mailbox page", () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  async function app(env: Record<string, string> = {}, trustProxy: false | number = false) {
    const runtime = await createTestRuntime("sqlite", { env });
    const built = await buildApp(runtime.deps, { trustProxy });
    closers.push(async () => {
      await built.close();
      await runtime.close();
    });
    return (options: { url?: string; method?: "GET" | "POST"; from: string; headers?: Record<string, string> }) =>
      built.inject({
        method: options.method ?? "GET",
        url: options.url ?? "/dev/mailbox",
        remoteAddress: options.from,
        headers: { origin: ORIGIN, ...options.headers },
      });
  }

  /** What a 404 looks like, headers that vary per response aside. */
  const shape = (response: LightMyRequestResponse) => {
    const { date: _date, "x-request-id": _id, ...headers } = response.headers;
    return { status: response.statusCode, headers, body: response.body };
  };

  it("is served to loopback clients in development, by default", async () => {
    const get = await app();
    for (const from of ["127.0.0.1", "127.45.6.7", "::1", "::ffff:127.0.0.1"]) {
      const page = await get({ from });
      expect(page.statusCode, from).toBe(200);
      expect(page.body).toContain("<h1>Dev mailbox</h1>");
      expect((await get({ from, url: "/dev/mailbox.json" })).json()).toEqual({ items: [] });
    }
  });

  it("looks like an unknown path to anyone else, whatever they send", async () => {
    const get = await app();
    const off = await app({ DEV_MAILBOX: "false" });
    for (const url of ["/dev/mailbox", "/dev/mailbox.json"]) {
      for (const method of ["GET", "POST"] as const) {
        const absent = shape(await off({ url, method, from: "203.0.113.7" }));
        expect(absent.status).toBe(404);
        for (const from of ["203.0.113.7", "10.0.0.2", "::ffff:10.0.0.2", "2001:db8::1", "128.0.0.1"]) {
          expect(shape(await get({ url, method, from })), `${method} ${url} from ${from}`).toEqual(absent);
        }
      }
    }
  });

  it("goes by the socket's address, never by X-Forwarded-For", async () => {
    // TRUST_PROXY=1 with no proxy in front: the client writes its own X-Forwarded-For.
    const get = await app({}, 1);
    const forged = await get({ from: "203.0.113.7", headers: { "x-forwarded-for": "127.0.0.1" } });
    expect(forged.statusCode).toBe(404);
    // A proxy on the same machine: the socket is local, the client is not.
    const viaProxy: Array<Record<string, string>> = [
      { "x-forwarded-for": "203.0.113.7" },
      { forwarded: "for=203.0.113.7" },
    ];
    for (const headers of viaProxy) {
      expect((await get({ from: "127.0.0.1", headers })).statusCode).toBe(404);
    }
  });

  it("is not served with DEV_MAILBOX=false, nor in production, even to loopback clients", async () => {
    for (const env of [{ DEV_MAILBOX: "false" }, PRODUCTION]) {
      const get = await app(env);
      const response = await get({ from: "127.0.0.1" });
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe("not_found");
    }
  });
});
