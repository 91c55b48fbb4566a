/**
 * Hourly caps on texts: at most 3 to one person and 20 from one business (SMS_PER_PERSON_PER_HOUR,
 * SMS_PER_BUSINESS_PER_HOUR). Past a cap the answer is `429 too_many_attempts` with Retry-After,
 * and nothing is charged, issued or queued. The caps are counted in the transaction that charges,
 * under the account's row lock, so they hold exactly with parallel requests and several nodes.
 */
import { afterEach, describe, expect, it } from "vitest";
import { grantCredits } from "../../src/modules/sms-credits/index.js";
import { ManualClock } from "../../src/shared/clock.js";
import { dialects } from "../support/dialects.js";
import {
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
const MINUTE = 60_000;

describe.each(dialects)("hourly caps on texts on %s", (dialect) => {
  const apps: TestApp[] = [];
  let clock: ManualClock;
  let accountId: string;
  let owner: string;

  /** A node (the first makes the business); texts are on, `credits` granted, Sam has a mobile. */
  async function node(env: Record<string, string> = {}, credits = 100): Promise<TestApp> {
    const first = apps[0];
    const t = await createTestApp(dialect, { clock, env, ...(first ? { joinDatabaseOf: first.runtime } : {}) });
    apps.push(t);
    if (first) return t;
    accountId = (await seedAccount(t)).account.id;
    owner = sessionCookie(await signIn(t, "admin", OWNER_PASSWORD));
    await t.request({ method: "PATCH", url: `${BASE}/settings`, cookie: owner, payload: { smsVoiceEnabled: true } });
    await grantCredits(t.runtime.deps.db, t.runtime.deps, {
      accountId,
      amount: credits,
      reason: "test",
      source: "support",
      actor: { type: "support_agent", id: null, name: "Agent" },
    });
    await addPerson(t, "sam", "+1 415 555 0100");
    return t;
  }
  async function addPerson(t: TestApp, username: string, mobile: string): Promise<void> {
    await insertStaffMember(t, accountId, { username, password: "front-desk-pass-1" });
    const saved = await t.request({
      method: "PATCH",
      url: `${BASE}/staff/stf_${username}`,
      cookie: owner,
      payload: { mobilePhone: mobile, smsOptIn: true },
    });
    expect(saved.statusCode, saved.body).toBe(200);
  }
  const text = (t: TestApp, username = "sam") =>
    t.request({ method: "POST", url: `${BASE}/staff/stf_${username}/password-reset-sms`, cookie: owner });
  async function spent(t: TestApp) {
    const db = t.runtime.deps.db;
    return {
      credits: (await db.selectFrom("accounts").select("sms_credits").executeTakeFirstOrThrow()).sms_credits,
      debits: (await db.selectFrom("sms_credit_ledger").select("id").where("kind", "=", "debit").execute()).length,
      tokens: (await db.selectFrom("password_reset_tokens").select("id").execute()).length,
      texts: (await db.selectFrom("outbox_messages").select("id").where("channel", "=", "sms").execute()).length,
    };
  }

  afterEach(async () => {
    for (const t of apps.splice(0).reverse()) await t.close();
  });

  it("texts one person at most 3 times an hour: six texts in a few seconds send three", async () => {
    clock = new ManualClock(Date.now());
    const t = await node();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await text(t)).statusCode);
      clock.advanceSeconds(2);
    }
    expect(statuses).toEqual([202, 202, 202, 429, 429, 429]);
    expect(await spent(t)).toEqual({ credits: 97, debits: 3, tokens: 3, texts: 3 });

    const refused = await text(t);
    expect(refused.json().error).toMatchObject({
      code: "too_many_attempts",
      details: { scope: "person", limitPerHour: 3 },
    });
    expect(refused.json().error.message).toContain("Nothing was charged");
    // The first text leaves the hour 60 minutes after it was sent, 12 seconds ago.
    expect(Number(refused.headers["retry-after"])).toBe(3600 - 12);

    clock.advanceSeconds(59 * 60 - 12);
    expect(Number((await text(t)).headers["retry-after"])).toBe(60);
    clock.advanceSeconds(60);
    expect((await text(t)).statusCode).toBe(202);
    expect((await text(t)).statusCode).toBe(429); // the second and third are still within the hour
  });

  it("caps what one business texts in an hour, across its people", async () => {
    clock = new ManualClock(Date.now());
    const t = await node();
    for (let i = 1; i <= 7; i++) await addPerson(t, `p${i}`, `+1 415 555 01${String(i).padStart(2, "0")}`);
    const statuses: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (let i = 1; i <= 7; i++) statuses.push((await text(t, `p${i}`)).statusCode);
      clock.advanceSeconds(60);
    }
    expect(statuses.filter((s) => s === 202)).toHaveLength(20);
    expect(statuses.at(-1)).toBe(429);
    const refused = await text(t, "sam");
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.details).toEqual({ scope: "business", limitPerHour: 20 });
    expect(await spent(t)).toMatchObject({ debits: 20, texts: 20 });
  });

  it("reads both caps from the environment", async () => {
    clock = new ManualClock(Date.now());
    const t = await node({ SMS_PER_PERSON_PER_HOUR: "1", SMS_PER_BUSINESS_PER_HOUR: "2" });
    await addPerson(t, "lee", "+1 415 555 0101");
    await addPerson(t, "kim", "+1 415 555 0102");
    expect([(await text(t)).statusCode, (await text(t)).statusCode]).toEqual([202, 429]);
    expect((await text(t, "lee")).statusCode).toBe(202);
    expect((await text(t, "kim")).json().error.details).toEqual({ scope: "business", limitPerHour: 2 });
  });

  it("holds exactly when many requests race, on two nodes at once", async () => {
    clock = new ManualClock(Date.now());
    const a = await node();
    // Two nodes in one process on one SQLite file would only wait on each other's write lock
    // inside SQLite's synchronous busy handler; SQLite serialises writers anyway.
    const b = dialect === "postgres" ? await node() : a;
    const replies = await Promise.all(Array.from({ length: 12 }, (_, i) => text(i % 2 === 0 ? a : b)));
    const statuses = replies.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([202, 202, 202, ...Array<number>(9).fill(429)]);
    expect(await spent(a)).toEqual({ credits: 97, debits: 3, tokens: 3, texts: 3 });
  });

  it("counts a minute's texts to the minute: Retry-After names when the oldest leaves the hour", async () => {
    clock = new ManualClock(Date.now());
    const t = await node({ SMS_PER_PERSON_PER_HOUR: "2" });
    expect((await text(t)).statusCode).toBe(202);
    clock.advanceSeconds(10 * 60);
    expect((await text(t)).statusCode).toBe(202);
    clock.advanceSeconds(MINUTE / 1000);
    expect(Number((await text(t)).headers["retry-after"])).toBe(60 * 60 - 11 * 60);
  });
});
