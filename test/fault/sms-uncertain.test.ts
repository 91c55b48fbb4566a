/**
 * One charge never yields two texts. A Twilio request that got no answer after it was sent may
 * have created the message: the text becomes `uncertain` and is never sent again. The worker
 * lists Twilio's messages (To, DateSent>=) until the settle window ends: found, the text is sent;
 * not found, it is given up and refunded; Twilio unreachable throughout, it is given up with its
 * credit kept and the ledger says so. A worker that dies mid-request leaves the same uncertainty
 * to the next one, which looks before it would ever send.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { grantCredits } from "../../src/modules/sms-credits/index.js";
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
import { startFakeTwilio, twilioEnv, type FakeTwilio } from "../support/twilio.js";

const BASE = `/api/accounts/${SAMPLE_ACCOUNT.slug}`;
const OWNER_PASSWORD = SAMPLE_ACCOUNT.ownerPassword as string;
/** The outbox worker's defaults: a look-up a minute, for 15 minutes. */
const SETTLE_INTERVAL_S = 60;
const SETTLE_WINDOW_S = 15 * 60;
const LEASE_S = 60;

describe.each(dialects)("texts whose outcome is uncertain, on %s", (dialect) => {
  let twilio: FakeTwilio;
  let clock: ManualClock;
  let t: TestApp;
  let owner: string;
  const others: TestApp[] = [];

  async function node(timeoutMs: number, join?: TestApp): Promise<TestApp> {
    return createTestApp(dialect, {
      clock,
      env: { ...twilioEnv(twilio), TWILIO_TIMEOUT_MS: String(timeoutMs) },
      ...(join ? { joinDatabaseOf: join.runtime } : {}),
    });
  }

  beforeEach(async () => {
    twilio = await startFakeTwilio();
    clock = new ManualClock(Date.now());
    t = await node(300);
    const accountId = (await seedAccount(t)).account.id;
    await insertStaffMember(t, accountId, { username: "sam", password: "front-desk-pass-1" });
    owner = sessionCookie(await signIn(t, "admin", OWNER_PASSWORD));
    await t.request({ method: "PATCH", url: `${BASE}/settings`, cookie: owner, payload: { smsVoiceEnabled: true } });
    const mobile = await t.request({
      method: "PATCH",
      url: `${BASE}/staff/stf_sam`,
      cookie: owner,
      payload: { mobilePhone: "+1 415 555 0100", smsOptIn: true },
    });
    expect(mobile.statusCode, mobile.body).toBe(200);
    await grantCredits(t.runtime.deps.db, t.runtime.deps, {
      accountId,
      amount: 2,
      reason: "test",
      source: "support",
      actor: { type: "support_agent", id: null, name: "Agent" },
    });
  });
  afterEach(async () => {
    await twilio.close();
    for (const other of others.splice(0)) await other.close();
    await t.close();
  });

  const textSam = async () => {
    const sent = await t.request({ method: "POST", url: `${BASE}/staff/stf_sam/password-reset-sms`, cookie: owner });
    expect(sent.statusCode, sent.body).toBe(202);
  };
  const posts = () => twilio.createRequests;
  const row = () => t.runtime.deps.db.selectFrom("outbox_messages").selectAll().executeTakeFirstOrThrow();
  const ledger = async () =>
    (
      await t.runtime.deps.db
        .selectFrom("sms_credit_ledger")
        .select(["kind", "change", "balance_after", "reason"])
        .orderBy("seq")
        .execute()
    ).map((e) => [e.kind, e.change, e.balance_after, e.reason] as const);
  const actions = async () =>
    (
      await t.runtime.deps.db
        .selectFrom("audit_events")
        .select("action")
        .where("action", "like", "message.%")
        .orderBy("at")
        .execute()
    ).map((e) => e.action);
  /** Worker passes as time goes by: every lease and retry delay that could resend has passed. */
  async function passTime(seconds: number) {
    for (let elapsed = 0; elapsed < seconds; elapsed += LEASE_S) {
      clock.advanceSeconds(LEASE_S);
      await deliverMessages(t);
    }
  }

  it("sends a text Twilio took without answering only once, and settles it as sent from Twilio's list", async () => {
    twilio.acceptThenHangNext();
    await textSam();
    await deliverMessages(t);
    expect(posts()).toBe(1);
    expect(twilio.messages).toHaveLength(1);
    expect(await row()).toMatchObject({ status: "uncertain", attempts: 1 });
    expect(await actions()).toEqual(["message.delivery_uncertain"]);

    clock.advanceSeconds(SETTLE_INTERVAL_S);
    await deliverMessages(t);
    await passTime(2 * SETTLE_WINDOW_S);
    expect(posts()).toBe(1);
    expect(twilio.messages).toHaveLength(1);
    expect(await row()).toMatchObject({
      status: "sent",
      provider_message_id: twilio.messages[0]?.sid,
      text_body: "",
    });
    expect(await actions()).toEqual(["message.delivery_uncertain", "message.delivery_confirmed"]);
    expect((await ledger()).map(([kind, change]) => [kind, change])).toEqual([
      ["grant", 2],
      ["debit", -1],
    ]);
  });

  it("gives up a text Twilio never took without sending it again, and refunds it", async () => {
    twilio.hangNext();
    await textSam();
    await deliverMessages(t);
    expect(await row()).toMatchObject({ status: "uncertain" });

    // Not found yet: looked for again, neither sent nor refunded within the window.
    await passTime(SETTLE_WINDOW_S - LEASE_S);
    expect(twilio.listRequests).toBeGreaterThanOrEqual(10);
    expect(await row()).toMatchObject({ status: "uncertain" });
    expect(await ledger()).toHaveLength(2);

    await passTime(2 * LEASE_S);
    expect(posts()).toBe(1);
    expect(twilio.messages).toHaveLength(0);
    expect(await row()).toMatchObject({ status: "failed", text_body: "" });
    const entries = await ledger();
    expect(entries.map(([kind, change, balance]) => [kind, change, balance])).toEqual([
      ["grant", 2, 2],
      ["debit", -1, 1],
      ["refund", 1, 2],
    ]);
    expect(entries[2]?.[3]).toBe(
      "Text message not sent: the SMS provider has no record of it after its request timed out",
    );
    expect(await actions()).toEqual(["message.delivery_uncertain", "message.delivery_failed"]);
  });

  it("keeps the credit of a text nobody can settle, and says so in the ledger", async () => {
    twilio.hangNext();
    await textSam();
    await deliverMessages(t);
    for (let elapsed = 0; elapsed <= SETTLE_WINDOW_S + LEASE_S; elapsed += LEASE_S) {
      twilio.failNext(503, 5); // every look-up fails
      clock.advanceSeconds(LEASE_S);
      await deliverMessages(t);
    }
    expect(posts()).toBe(1);
    expect(await row()).toMatchObject({ status: "failed" });
    expect((await row()).last_error).toContain("can't be learned");
    expect((await ledger()).map(([kind, change, balance]) => [kind, change, balance])).toEqual([
      ["grant", 2, 2],
      ["debit", -1, 1],
      ["unconfirmed", 0, 1],
    ]);
    expect(await actions()).toEqual(["message.delivery_uncertain", "message.delivery_unconfirmed"]);
    const shown = await t.request({ method: "GET", url: `${BASE}/sms-credits/ledger`, cookie: owner });
    expect(shown.json().items[0]).toMatchObject({
      kind: "unconfirmed",
      change: 0,
      balance: 1,
      reason: "Credit kept: the SMS provider could not confirm whether this text was sent",
    });
  });

  it("lets the next worker find a text whose worker died mid-request, instead of sending it again", async () => {
    // Node A's request hangs after Twilio took the text: A is as good as killed.
    const a = await node(30_000, t);
    others.push(a);
    twilio.acceptThenHangNext();
    await textSam();
    const stuck = a.runtime.outboxWorker.runOnce().catch(() => 0);
    for (let i = 0; i < 100 && twilio.messages.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(twilio.messages).toHaveLength(1);

    clock.advanceSeconds(LEASE_S + 1); // A's claim runs out; node B (this app) carries on
    await deliverMessages(t);
    expect(posts()).toBe(1);
    expect(await row()).toMatchObject({ status: "sent", provider_message_id: twilio.messages[0]?.sid });
    expect(await actions()).toEqual(["message.delivery_confirmed"]);

    await twilio.close(); // A's request finally fails; what it then records changes nothing
    await stuck;
    expect(await row()).toMatchObject({ status: "sent" });
    expect(twilio.messages).toHaveLength(1);
  });
});
