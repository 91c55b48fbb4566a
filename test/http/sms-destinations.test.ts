/**
 * Toll fraud: a text is refused before anything is charged or issued when its number is a
 * premium-rate, shared-cost, personal, UAN, pager, VoIP, landline or toll-free one, a satellite
 * or international network's, or a mobile of a country the business hasn't allowed
 * (Settings.smsAllowedCountries, by default the business's own country).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { grantCredits } from "../../src/modules/sms-credits/index.js";
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

describe.each(dialects)("where texts may go, on %s", (dialect) => {
  let twilio: FakeTwilio;
  let t: TestApp;
  let accountId: string;
  let owner: string;

  beforeEach(async () => {
    twilio = await startFakeTwilio();
    t = await createTestApp(dialect, { env: twilioEnv(twilio) });
    accountId = (await seedAccount(t)).account.id; // a US business
    await insertStaffMember(t, accountId, {
      username: "sam",
      password: "front-desk-pass-1",
      email: "sam@acme.example",
    });
    owner = sessionCookie(await signIn(t, "admin", OWNER_PASSWORD));
    await as(owner, "PATCH", `${BASE}/settings`, { smsVoiceEnabled: true });
    await grantCredits(t.runtime.deps.db, t.runtime.deps, {
      accountId,
      amount: 10,
      reason: "test",
      source: "support",
      actor: { type: "support_agent", id: null, name: "Agent" },
    });
  });
  afterEach(async () => {
    await t.close();
    await twilio.close();
  });

  const as = (cookie: string, method: "GET" | "POST" | "PATCH", url: string, payload?: object) =>
    t.request({ method, url, cookie, ...(payload ? { payload } : {}) });
  /** Sam's mobile, entered through the STAFF page (all of these are well-formed numbers). */
  async function samsMobile(mobilePhone: string) {
    const saved = await as(owner, "PATCH", `${BASE}/staff/stf_sam`, { mobilePhone, smsOptIn: true });
    expect(saved.statusCode, `${mobilePhone}: ${saved.body}`).toBe(200);
  }
  const textSam = (headers: Record<string, string> = {}) =>
    t.request({ method: "POST", url: `${BASE}/staff/stf_sam/password-reset-sms`, cookie: owner, headers });

  async function expectNothingSpent() {
    const db = t.runtime.deps.db;
    const account = await db.selectFrom("accounts").select("sms_credits").executeTakeFirstOrThrow();
    expect(account.sms_credits).toBe(10);
    expect((await db.selectFrom("sms_credit_ledger").select("kind").execute()).map((e) => e.kind)).toEqual(["grant"]);
    expect(await db.selectFrom("password_reset_tokens").selectAll().execute()).toEqual([]);
    expect(await db.selectFrom("outbox_messages").selectAll().where("channel", "=", "sms").execute()).toEqual([]);
    await deliverMessages(t);
    expect(twilio.requests).toBe(0);
  }

  it("refuses premium-rate, shared-cost, personal, UAN, pager, VoIP, landline and toll-free numbers", async () => {
    const numbers: Array<[string, string]> = [
      ["+1 900 234 5678", "PREMIUM_RATE"],
      ["+44 909 012 3456", "PREMIUM_RATE"],
      ["+61 1300 123 456", "SHARED_COST"],
      ["+1 500 234 5678", "PERSONAL_NUMBER"],
      ["+44 70 1234 5678", "PERSONAL_NUMBER"],
      ["+44 55 1234 5678", "UAN"],
      ["+44 7600 123456", "PAGER"],
      ["+44 56 1234 5678", "VOIP"],
      ["+44 20 7946 0958", "FIXED_LINE"],
      ["+1 800 234 5678", "TOLL_FREE"],
    ];
    for (const [number, numberType] of numbers) {
      await samsMobile(number);
      const refused = await textSam({ "idempotency-key": `premium-${numberType}-${number.length}` });
      expect(refused.statusCode, number).toBe(422);
      expect(refused.json().error).toMatchObject({
        code: "sms_destination_not_allowed",
        details: { reason: "not_mobile", numberType },
      });
      expect(refused.json().error.message).toContain("nothing was sent or charged");
    }
    await expectNothingSpent();
  });

  it("refuses satellite and international network numbers (+870, +881, +882, +979)", async () => {
    for (const number of ["+870 773 123 456", "+881 6 123 45678", "+882 16 1234 5678", "+979 123 456 789"]) {
      await samsMobile(number);
      const refused = await textSam();
      expect(refused.statusCode, number).toBe(422);
      expect(refused.json().error).toMatchObject({
        code: "sms_destination_not_allowed",
        details: { reason: "international_network" },
      });
    }
    await expectNothingSpent();
  });

  it("texts the business's own country only, until Admin Access allows more", async () => {
    await samsMobile("+1 876 210 1234"); // a Jamaican mobile, behind the US's own +1
    const refused = await textSam();
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toMatchObject({
      code: "sms_destination_not_allowed",
      details: { reason: "country_not_allowed", country: "JM" },
    });
    expect(refused.json().error.message).toContain("Jamaica (JM)");
    await expectNothingSpent();

    await insertStaffMember(t, accountId, {
      username: "desk",
      password: "desk-pass-word-1",
      permissions: ["staff.edit"],
    });
    const desk = sessionCookie(await signIn(t, "desk", "desk-pass-word-1"));
    expect((await as(desk, "PATCH", `${BASE}/settings`, { smsAllowedCountries: ["US", "JM"] })).statusCode).toBe(403);
    const bad = await as(owner, "PATCH", `${BASE}/settings`, { smsAllowedCountries: ["US", "XX"] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.fields).toHaveProperty("smsAllowedCountries");

    const allowed = await as(owner, "PATCH", `${BASE}/settings`, { smsAllowedCountries: ["US", "JM"] });
    expect(allowed.statusCode, allowed.body).toBe(200);
    expect(allowed.json()).toMatchObject({ country: "US", smsAllowedCountries: ["US", "JM"] });
    expect((await textSam()).statusCode).toBe(202);

    await samsMobile("+44 7400 123456"); // a UK mobile: still not allowed
    expect((await textSam()).json().error.details).toMatchObject({ reason: "country_not_allowed", country: "GB" });
    await samsMobile("(415) 555-0100");
    expect((await textSam()).statusCode).toBe(202);

    await deliverMessages(t);
    expect(twilio.messages.map((m) => m.to).sort()).toEqual(["+14155550100", "+18762101234"]);
    const audit = await t.runtime.deps.db
      .selectFrom("audit_events")
      .select("details")
      .where("action", "=", "settings.changed")
      .where("details", "like", "%smsAllowedCountries%")
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details)).toEqual({ smsAllowedCountries: { from: ["US"], to: ["US", "JM"] } });
  });

  it("refuses a number stored before validation that is in no range in service", async () => {
    await t.runtime.deps.db
      .updateTable("staff")
      .set({ mobile_phone: "(415) 555-01", sms_opt_in: 1 })
      .where("id", "=", "stf_sam")
      .execute();
    const refused = await textSam();
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.details).toMatchObject({ reason: "not_in_service" });
    await expectNothingSpent();
  });
});
