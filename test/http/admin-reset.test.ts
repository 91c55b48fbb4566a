import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { grantCredits } from "../../src/modules/sms-credits/index.js";
import { gsmSeptets } from "../../src/modules/messaging/index.js";
import { ManualClock } from "../../src/shared/clock.js";
import { dialects } from "../support/dialects.js";
import {
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
import { startFakeTwilio, tokenFromText, twilioEnv, type FakeTwilio } from "../support/twilio.js";

const BASE = `/api/accounts/${SAMPLE_ACCOUNT.slug}`;
const OWNER_PASSWORD = SAMPLE_ACCOUNT.ownerPassword as string;

describe.each(dialects)("Reset Password Via Email / Via SMS on %s", (dialect) => {
  let smtp: TestSmtpServer;
  let twilio: FakeTwilio;
  let clock: ManualClock;
  let t: TestApp;
  let accountId: string;
  let owner: string;
  const sam = () => `${BASE}/staff/stf_sam`;

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
    clock = new ManualClock(Date.now());
    t = await createTestApp(dialect, {
      clock,
      env: {
        SMTP_URL: smtp.url,
        ...twilioEnv(twilio),
        PUBLIC_URL: "https://portal.acme-swim.example",
        // Credits are tested here with 50 texts at once; the hourly caps have sms-caps.test.ts.
        SMS_PER_PERSON_PER_HOUR: "100",
        SMS_PER_BUSINESS_PER_HOUR: "100",
      },
    });
    accountId = (await seedAccount(t)).account.id;
    await insertStaffMember(t, accountId, {
      username: "sam",
      password: "front-desk-pass-1",
      email: "sam@acme.example",
    });
    owner = sessionCookie(
      await t.app.inject({
        method: "POST",
        url: `${BASE}/session`,
        headers: { origin: "https://portal.acme-swim.example" },
        payload: { login: "admin", password: OWNER_PASSWORD },
      }),
    );
  });
  afterEach(async () => t.close());

  const send = (channel: "email" | "sms", url = sam(), headers: Record<string, string> = {}, cookie = owner) =>
    t.app.inject({
      method: "POST",
      url: `${url}/password-reset-${channel}`,
      headers: { origin: "https://portal.acme-swim.example", cookie, ...headers },
    });
  const patch = (url: string, payload: object) =>
    t.app.inject({
      method: "PATCH",
      url,
      headers: { origin: "https://portal.acme-swim.example", cookie: owner },
      payload,
    });
  const complete = (token: string, password: string) =>
    t.app.inject({
      method: "POST",
      url: "/api/password-resets/complete",
      headers: { origin: "https://portal.acme-swim.example" },
      payload: { token, password, passwordConfirmation: password },
    });
  const balance = async () =>
    (
      await t.runtime.deps.db
        .selectFrom("accounts")
        .select("sms_credits")
        .where("id", "=", accountId)
        .executeTakeFirstOrThrow()
    ).sms_credits;
  const ledgerKinds = async () =>
    (await t.runtime.deps.db.selectFrom("sms_credit_ledger").select("kind").orderBy("seq").execute()).map(
      (r) => r.kind,
    );
  const grant = (amount: number) =>
    grantCredits(t.runtime.deps.db, t.runtime.deps, {
      accountId,
      amount,
      reason: "test",
      source: "support",
      actor: { type: "support_agent", id: null, name: "Agent" },
    });

  it("emails a reset link to the address on file only, masked in the answer", async () => {
    const response = await send("email");
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ sentTo: "s•••@acme.example" });
    await deliverMessages(t);
    const mail = smtp.messages.find((m) => m.to === "sam@acme.example");
    expect(mail?.text).toContain("An administrator at Acme Swim sent you a link");
    expect(mail?.text).toContain("https://portal.acme-swim.example/reset-password#token=");
    expect((await complete(tokenFrom(mail!), "brand-new-pass-42")).statusCode).toBe(204);
    const row = await t.runtime.deps.db.selectFrom("password_reset_tokens").selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ purpose: "admin_reset", channel: "email" });
    expect(row.expires_at - row.created_at).toBe(30 * 60 * 1000);
  });

  it("refuses SMS in order — messaging off, no textable number, no credit — charging nothing", async () => {
    const codes = async () => {
      const r = await send("sms");
      return [r.statusCode, r.json().error?.code];
    };
    expect(await codes()).toEqual([409, "sms_disabled"]);
    await patch(`${BASE}/settings`, { smsVoiceEnabled: true });
    expect(await codes()).toEqual([422, "no_sms_phone"]);
    await patch(sam(), { mobilePhone: "(415) 555-0100" });
    expect(await codes()).toEqual([422, "no_sms_phone"]); // no SMS opt-in yet
    await patch(sam(), { smsOptIn: true });
    expect(await codes()).toEqual([402, "insufficient_sms_credits"]);
    expect(await ledgerKinds()).toEqual([]);
    expect(twilio.messages).toHaveLength(0);
    expect(await t.runtime.deps.db.selectFrom("password_reset_tokens").selectAll().execute()).toHaveLength(0);

    await grant(3);
    const sent = await send("sms");
    expect(sent.statusCode).toBe(202);
    expect(sent.json()).toEqual({ sentTo: "(•••) •••-0100", smsCreditsRemaining: 2 });
    expect(await balance()).toBe(2);
    expect(await ledgerKinds()).toEqual(["grant", "debit"]);
  });

  it("texts one GSM segment with the business and a 10-minute link that completes the reset", async () => {
    await patch(`${BASE}/settings`, { smsVoiceEnabled: true });
    await patch(sam(), { mobilePhone: "+1 415 555 0100", smsOptIn: true });
    await grant(1);
    expect((await send("sms")).statusCode).toBe(202);
    await deliverMessages(t);
    const text = twilio.messages[0];
    expect(text?.to).toBe("+14155550100");
    expect(text?.from).toBe("+15550001111");
    expect(text?.body).toMatch(
      /^Acme Swim password reset link \(valid 10 min\): https:\/\/portal\.acme-swim\.example\//,
    );
    expect(gsmSeptets(text?.body ?? "")).toBeLessThanOrEqual(160);
    const token = tokenFromText(text?.body ?? "");
    clock.advanceSeconds(9 * 60);
    expect((await complete(token, "texted-new-pass-8")).statusCode).toBe(204);
    expect(
      (await signIn(t, "sam", "texted-new-pass-8", SAMPLE_ACCOUNT.slug).catch(() => undefined))?.statusCode,
    ).not.toBe(500);

    await grant(1);
    await send("sms");
    await deliverMessages(t);
    clock.advanceSeconds(10 * 60);
    expect((await complete(tokenFromText(twilio.messages[1]?.body ?? ""), "too-late-pass-77")).statusCode).toBe(410);
  });

  it("charges once per Idempotency-Key, however often the request is retried or double-clicked", async () => {
    await patch(`${BASE}/settings`, { smsVoiceEnabled: true });
    await patch(sam(), { mobilePhone: "+1 415 555 0100", smsOptIn: true });
    await grant(5);
    const key = { "idempotency-key": "b4b0f8a2-1c6e-4f57-9d0a-3f2f6c1e9a10" };
    const replies = await Promise.all([send("sms", sam(), key), send("sms", sam(), key), send("sms", sam(), key)]);
    const later = await send("sms", sam(), key);
    for (const reply of [...replies, later]) {
      expect(reply.statusCode).toBe(202);
      expect(reply.json()).toEqual({ sentTo: "(•••) •••-0100", smsCreditsRemaining: 4 });
    }
    expect(await balance()).toBe(4);
    await deliverMessages(t);
    expect(twilio.messages).toHaveLength(1);
    const otherTarget = await send("email", `${BASE}/staff/${(await seedStaff()).id}`, key);
    expect(otherTarget.statusCode).toBe(409);
  });

  async function seedStaff() {
    return {
      id: await insertStaffMember(t, accountId, {
        username: "lee",
        password: "lee-pass-word-1",
        email: "lee@acme.example",
      }),
    };
  }

  it("never overdraws: with 5 credits, exactly 5 of 50 parallel texts go out", async () => {
    await patch(`${BASE}/settings`, { smsVoiceEnabled: true });
    await patch(sam(), { mobilePhone: "+1 415 555 0100", smsOptIn: true });
    await grant(5);
    const replies = await Promise.all(Array.from({ length: 50 }, () => send("sms")));
    const statuses = replies.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 202)).toHaveLength(5);
    expect(statuses.filter((s) => s === 402)).toHaveLength(45);
    expect(await balance()).toBe(0);
    expect((await ledgerKinds()).filter((k) => k === "debit")).toHaveLength(5);
    const outbox = await t.runtime.deps.db
      .selectFrom("outbox_messages")
      .selectAll()
      .where("channel", "=", "sms")
      .execute();
    expect(outbox).toHaveLength(5);
  });

  it("refunds the credit of a text the provider refuses for good", async () => {
    await patch(`${BASE}/settings`, { smsVoiceEnabled: true });
    await patch(sam(), { mobilePhone: "+1 415 555 0100", smsOptIn: true });
    await grant(2);
    twilio.failNext(400);
    await send("sms");
    await deliverMessages(t);
    expect(await balance()).toBe(2);
    expect(await ledgerKinds()).toEqual(["grant", "debit", "refund"]);
    const ledger = await t.app.inject({ method: "GET", url: `${BASE}/sms-credits/ledger`, headers: { cookie: owner } });
    expect(
      ledger.json().items.map((e: { kind: string; change: number; balance: number }) => [e.kind, e.change, e.balance]),
    ).toEqual([
      ["refund", 1, 2],
      ["debit", -1, 1],
      ["grant", 2, 2],
    ]);
    const actions = (await t.runtime.deps.db.selectFrom("audit_events").select("action").execute()).map(
      (e) => e.action,
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        "sms_credits.granted",
        "sms_credits.debited",
        "sms_credits.refunded",
        "message.delivery_failed",
      ]),
    );
  });

  it("keeps the buttons to Admin Access, the owner's to the owner, and away from inactive staff", async () => {
    await insertStaffMember(t, accountId, { username: "boss", password: "boss-pass-word-1", adminFullAccess: true });
    await insertStaffMember(t, accountId, {
      username: "desk",
      password: "desk-pass-word-1",
      permissions: ["staff.edit"],
    });
    const login = async (username: string, password: string) =>
      sessionCookie(
        await t.app.inject({
          method: "POST",
          url: `${BASE}/session`,
          headers: { origin: "https://portal.acme-swim.example" },
          payload: { login: username, password },
        }),
      );
    const boss = await login("boss", "boss-pass-word-1");
    const desk = await login("desk", "desk-pass-word-1");
    const ownerId = (
      await t.runtime.deps.db.selectFrom("staff").select("id").where("is_owner", "=", 1).executeTakeFirstOrThrow()
    ).id;

    expect((await send("email", sam(), {}, desk)).json().error.code).toBe("forbidden");
    expect((await send("email", `${BASE}/staff/${ownerId}`, {}, boss)).json().error.code).toBe("owner_protected");
    expect((await send("email", `${BASE}/staff/${ownerId}`)).statusCode).toBe(202);
    await patch(sam(), { status: "inactive" });
    expect((await send("email")).json().error.code).toBe("staff_inactive");
    expect((await send("email", `${BASE}/staff/stf_nobody`)).statusCode).toBe(404);
    const events = await t.runtime.deps.db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "password_reset.link_sent")
      .execute();
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]?.details ?? "{}")).toMatchObject({ channel: "email", sentTo: "o•••@acme.example" });
  });

  it("needs an email on file for the email button", async () => {
    await patch(sam(), { email: null });
    const response = await send("email");
    expect(response.statusCode).toBe(422);
    expect(response.json().error.code).toBe("no_email");
  });
});
