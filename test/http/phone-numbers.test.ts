/**
 * Phone numbers against the business's country (Settings.country): national input is stored in
 * E.164, a number that can't be one of its country's is refused at entry with a hint in that
 * country's format, masks keep the number's own national form, and numbers stored before all
 * this (without a "+") still work, read as the business's country.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { getCountries } from "libphonenumber-js/max";
import { openDatabase } from "../../src/db/database.js";
import { grantCredits } from "../../src/modules/sms-credits/index.js";
import { ManualClock } from "../../src/shared/clock.js";
import { isCountryCode } from "../../src/shared/phone.js";
import { COUNTRY_CODES } from "../../web/src/settings/countries.js";
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

describe.each(dialects)("phone numbers and the business's country on %s", (dialect) => {
  let twilio: FakeTwilio;
  let t: TestApp;
  let accountId: string;
  let owner: string;

  beforeEach(async () => {
    twilio = await startFakeTwilio();
    t = await createTestApp(dialect, { clock: new ManualClock(Date.now()), env: twilioEnv(twilio) });
    accountId = (await seedAccount(t, { country: "GB" })).account.id;
    await insertStaffMember(t, accountId, {
      username: "sam",
      password: "front-desk-pass-1",
      email: "sam@acme.example",
    });
    owner = sessionCookie(await signIn(t, "admin", OWNER_PASSWORD));
  });
  afterEach(async () => {
    await t.close();
    await twilio.close();
  });

  const as = (cookie: string, method: "GET" | "POST" | "PATCH", url: string, payload?: object) =>
    t.request({ method, url, cookie, ...(payload ? { payload } : {}) });
  const storedMobile = async (staffId: string) =>
    (await t.runtime.deps.db.selectFrom("staff").select("mobile_phone").where("id", "=", staffId).executeTakeFirst())
      ?.mobile_phone;

  it("stores a number typed in the national format in E.164, on POST and PATCH", async () => {
    const created = await as(owner, "POST", `${BASE}/staff`, {
      username: "amy",
      firstName: "Amy",
      lastName: "Lee",
      mobilePhone: "07700 900123",
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().mobilePhone).toBe("+447700900123");
    expect(await storedMobile(created.json().id)).toBe("+447700900123");

    const edited = await as(owner, "PATCH", `${BASE}/staff/stf_sam`, { mobilePhone: "07400 123456" });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().mobilePhone).toBe("+447400123456");
    // A number of another country says so with its "+".
    const american = await as(owner, "PATCH", `${BASE}/staff/stf_sam`, { mobilePhone: "+1 (415) 555-0100" });
    expect(american.json().mobilePhone).toBe("+14155550100");
  });

  it("refuses a number that can't be valid, with a hint in the business country's own format", async () => {
    for (const mobilePhone of ["+44 1234", "+1 123 456 7890", "0770 090", "07400 123456 ext. 12"]) {
      const refused = await as(owner, "POST", `${BASE}/staff`, {
        username: "amy",
        firstName: "Amy",
        lastName: "Lee",
        mobilePhone,
      });
      expect(refused.statusCode, mobilePhone).toBe(400);
      expect(refused.json().error.code).toBe("validation_failed");
      expect(refused.json().error.details.fields.mobilePhone).toBe(
        "a phone number in the national format of United Kingdom (GB), such as 07400 123456, " +
          "or in international format, such as +44 7400 123456",
      );
    }
    const patched = await as(owner, "PATCH", `${BASE}/staff/stf_sam`, { mobilePhone: "+1 123 456 7890" });
    expect(patched.statusCode).toBe(400);
    expect(patched.json().error.details.fields.mobilePhone).toContain("07400 123456");
    expect(await storedMobile("stf_sam")).toBeNull();
  });

  async function readyToText(mobile: string) {
    await as(owner, "PATCH", `${BASE}/settings`, { smsVoiceEnabled: true });
    await t.runtime.deps.db
      .updateTable("staff")
      .set({ mobile_phone: mobile, sms_opt_in: 1 })
      .where("id", "=", "stf_sam")
      .execute();
    await grantCredits(t.runtime.deps.db, t.runtime.deps, {
      accountId,
      amount: 5,
      reason: "test",
      source: "support",
      actor: { type: "support_agent", id: null, name: "Agent" },
    });
  }
  const textSam = () => as(owner, "POST", `${BASE}/staff/stf_sam/password-reset-sms`);

  it("masks a UK mobile in the UK's own form, not as (•••) •••-3456", async () => {
    await readyToText("+447400123456");
    const sent = await textSam();
    expect(sent.statusCode, sent.body).toBe(202);
    expect(sent.json().sentTo).toBe("••••• ••3456");
    const audit = await t.runtime.deps.db
      .selectFrom("audit_events")
      .select("details")
      .where("action", "=", "password_reset.link_sent")
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details)).toMatchObject({ sentTo: "••••• ••3456" });
    await deliverMessages(t);
    expect(twilio.messages.map((m) => m.to)).toEqual(["+447400123456"]);
  });

  it("texts numbers stored before E.164, read as the business's country", async () => {
    await readyToText("07400 123456");
    const sent = await textSam();
    expect(sent.statusCode, sent.body).toBe(202);
    expect(sent.json().sentTo).toBe("••••• ••3456");
    await deliverMessages(t);
    expect(twilio.messages.map((m) => m.to)).toEqual(["+447400123456"]);
  });

  it("shows the country in Settings; Admin Access changes it; others and bad codes are refused", async () => {
    const settings = await as(owner, "GET", `${BASE}/settings`);
    expect(settings.json()).toMatchObject({ country: "GB", smsAllowedCountries: ["GB"] });

    await insertStaffMember(t, accountId, {
      username: "desk",
      password: "desk-pass-word-1",
      permissions: ["staff.edit"],
    });
    const desk = sessionCookie(await signIn(t, "desk", "desk-pass-word-1"));
    expect((await as(desk, "GET", `${BASE}/settings`)).json()).toMatchObject({ country: "GB" });
    expect((await as(desk, "PATCH", `${BASE}/settings`, { country: "US" })).statusCode).toBe(403);

    for (const country of ["gb", "UK", "XX", "GBR"]) {
      const refused = await as(owner, "PATCH", `${BASE}/settings`, { country });
      expect(refused.statusCode, country).toBe(400);
      expect(refused.json().error.details.fields).toHaveProperty("country");
    }

    const changed = await as(owner, "PATCH", `${BASE}/settings`, { country: "IE" });
    expect(changed.statusCode, changed.body).toBe(200);
    // Until Admin Access chooses other countries, texts may go to the business's own.
    expect(changed.json()).toMatchObject({ country: "IE", smsAllowedCountries: ["IE"] });
    const audit = await t.runtime.deps.db
      .selectFrom("audit_events")
      .select("details")
      .where("action", "=", "settings.changed")
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details)).toEqual({ country: { from: "GB", to: "IE" } });
    // Numbers typed without a "+" are now Irish.
    const irish = await as(owner, "PATCH", `${BASE}/staff/stf_sam`, { mobilePhone: "085 012 3456" });
    expect(irish.json().mobilePhone).toBe("+353850123456");
  });
});

describe.each(dialects)("a business created without a country on %s", (dialect) => {
  it("is in the US, as numbers were read before countries", async () => {
    const t = await createTestApp(dialect);
    try {
      const ownerId = (await seedAccount(t)).owner.id;
      const owner = sessionCookie(await signIn(t, "admin", OWNER_PASSWORD));
      const settings = await t.request({ method: "GET", url: `${BASE}/settings`, cookie: owner });
      expect(settings.json()).toMatchObject({ country: "US", smsAllowedCountries: ["US"] });
      const edited = await t.request({
        method: "PATCH",
        url: `${BASE}/staff/${ownerId}`,
        cookie: owner,
        payload: { mobilePhone: "(415) 555-0100" },
      });
      expect(edited.json().mobilePhone).toBe("+14155550100");
    } finally {
      await t.close();
    }
  });
});

describe("the Settings page's country pickers", () => {
  it("offer exactly the countries the server accepts", () => {
    expect([...COUNTRY_CODES].sort()).toEqual(getCountries().filter(isCountryCode).sort());
  });
});

describe("staffgate account:create --country", () => {
  const dir = mkdtempSync(join(tmpdir(), "staffgate-country-"));
  const database = join(dir, "cli.db");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const create = (country: string) =>
    spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "src/cli-main.ts",
        "account:create",
        ...["--slug", `shop-${country.toLowerCase()}`, "--name", "Corner Shop", "--owner-first-name", "Ada"],
        ...["--owner-last-name", "Byrne", "--owner-email", "ada@shop.example", "--country", country],
      ],
      { env: { ...process.env, DATABASE_URL: `sqlite:${database}`, LOG_LEVEL: "silent" }, encoding: "utf8" },
    );

  it("sets the business's country, refusing a code that isn't one", async () => {
    const created = create("gb");
    expect(created.status, created.stderr).toBe(0);
    const refused = create("XX");
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("country: an ISO 3166-1 alpha-2 country code");
    const handle = openDatabase({ dialect: "sqlite", path: database });
    try {
      expect(await handle.db.selectFrom("accounts").select(["slug", "country"]).execute()).toEqual([
        { slug: "shop-gb", country: "GB" },
      ]);
    } finally {
      await handle.close();
    }
  });
});
