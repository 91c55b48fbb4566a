/**
 * Forgot Password caps hold exactly with several nodes: 3 emails per person per hour, and a
 * per-business cap (RESET_EMAILS_PER_BUSINESS_PER_HOUR), neither of which changes the reply.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dialects, redisTestUrl } from "../support/dialects.js";
import { SAMPLE_ACCOUNT, createTestApp, insertStaffMember, seedAccount, type TestApp } from "../support/http.js";

const BASE = `/api/accounts/${SAMPLE_ACCOUNT.slug}`;

describe.skipIf(!redisTestUrl).each(dialects)("Forgot Password caps on two nodes on %s", (dialect) => {
  let a: TestApp;
  let b: TestApp;
  let accountId: string;

  beforeEach(async () => {
    const env = { REDIS_URL: redisTestUrl as string, RESET_EMAILS_PER_BUSINESS_PER_HOUR: "5" };
    a = await createTestApp(dialect, { env });
    b = await createTestApp(dialect, { env, joinDatabaseOf: a.runtime });
    accountId = (await seedAccount(a)).account.id;
  });
  afterEach(async () => {
    await b.close();
    await a.close();
  });

  const forgot = (node: TestApp, login: string) =>
    node.request({ method: "POST", url: `${BASE}/password-resets`, payload: { login } });
  const drainBoth = () => Promise.all([a.runtime.deps.resetRequests.drain(), b.runtime.deps.resetRequests.drain()]);
  const links = (to?: string) =>
    a.runtime.deps.db
      .selectFrom("outbox_messages")
      .select("recipient")
      .where("template", "=", "password_reset")
      .$if(to !== undefined, (q) => q.where("recipient", "=", to as string))
      .execute();

  it("sends one person at most 3 links an hour, however many requests reach however many nodes", async () => {
    await insertStaffMember(a, accountId, {
      username: "sam",
      password: "front-desk-pass-1",
      email: "sam@acme.example",
    });
    const replies = await Promise.all(Array.from({ length: 12 }, (_, i) => forgot(i % 2 ? a : b, "sam")));
    await drainBoth();
    expect(new Set(replies.map((r) => `${r.statusCode} ${r.body}`)).size).toBe(1);
    expect(await links("sam@acme.example")).toHaveLength(3);
  });

  it("caps the links one business sends an hour, with the same reply for everyone", async () => {
    for (let i = 0; i < 8; i++) {
      await insertStaffMember(a, accountId, {
        username: `person${i}`,
        password: "front-desk-pass-1",
        email: `p${i}@acme.example`,
      });
    }
    const replies = await Promise.all(Array.from({ length: 8 }, (_, i) => forgot(i % 2 ? a : b, `person${i}`)));
    await drainBoth();
    expect(new Set(replies.map((r) => `${r.statusCode} ${r.body}`)).size).toBe(1);
    expect(await links()).toHaveLength(5);
  });
});
