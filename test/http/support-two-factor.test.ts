/** Vendor support agents must use two-step sign-in (issue 14): enforced at their sign-in. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSupportAgent, resetAgentTwoFactor } from "../../src/modules/support/index.js";
import { attemptKey } from "../../src/modules/credentials/index.js";
import { totpCode } from "../../src/modules/two-factor/index.js";
import { ManualClock } from "../../src/shared/clock.js";
import { dialects } from "../support/dialects.js";
import { createTestApp, seedAccount, type TestApp } from "../support/http.js";

const ANN = { email: "ann@staffgate.example", password: "granite-orchard-lamp-19" };

describe.each(dialects)("support agents' two-step sign-in on %s", (dialect) => {
  let clock: ManualClock;
  let t: TestApp;

  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 11, 8, 9, 0, 0));
    t = await createTestApp(dialect, { clock });
    await seedAccount(t);
    await createSupportAgent(t.runtime.deps, { ...ANN, name: "Ann Agent" });
  });
  afterEach(async () => t.close());

  const passwordStep = async () => {
    const reply = await t.request({ method: "POST", url: "/api/support/session", payload: ANN });
    expect(reply.statusCode, reply.body).toBe(200);
    const cookie = reply.cookies.find((c) => c.name === "staffgate_support");
    return { body: reply.json(), cookie: `staffgate_support=${cookie?.value}` };
  };
  const openConsole = (cookie: string) =>
    t.request({ method: "GET", url: "/api/support/accounts?search=acme", cookie });

  it("an agent's first sign-in sets up an authenticator app before the console opens; later ones ask for a code", async () => {
    const first = await passwordStep();
    expect(first.body).toMatchObject({ secondFactorRequired: true, enrollmentRequired: true });
    expect((await openConsole(first.cookie)).statusCode).toBe(401);
    const started = await t.request({ method: "POST", url: "/api/support/me/totp", cookie: first.cookie, payload: {} });
    const secret = (started.json().secret as string).replace(/\s/g, "");
    const wrong = await t.request({
      method: "PUT",
      url: "/api/support/me/totp",
      cookie: first.cookie,
      payload: { totpCode: "000000" },
    });
    expect(wrong.statusCode).toBe(401);
    const done = await t.request({
      method: "PUT",
      url: "/api/support/me/totp",
      cookie: first.cookie,
      payload: { totpCode: totpCode(secret, clock.now()) },
    });
    expect(done.statusCode, done.body).toBe(200);
    expect((await openConsole(first.cookie)).statusCode).toBe(200);

    clock.advanceSeconds(60);
    const second = await passwordStep();
    expect(second.body).toMatchObject({ secondFactorRequired: true, enrollmentRequired: false });
    expect((await openConsole(second.cookie)).statusCode).toBe(401);
    // No enrolling again over the web while an app is set up.
    expect(
      (await t.request({ method: "POST", url: "/api/support/me/totp", cookie: second.cookie, payload: {} })).statusCode,
    ).toBe(401);
    const code = totpCode(secret, clock.now());
    const step = (cookie: string, totpCode: string) =>
      t.request({ method: "POST", url: "/api/support/session/second-factor", cookie, payload: { totpCode } });
    expect((await step(second.cookie, "123456")).json().error.code).toBe("invalid_second_factor");
    expect((await step(second.cookie, code)).statusCode).toBe(200);
    expect((await openConsole(second.cookie)).statusCode).toBe(200);
    // The same code in another sign-in: a replay.
    const third = await passwordStep();
    expect((await step(third.cookie, code)).statusCode).toBe(401);
    // A pending sign-in ends after 5 minutes.
    clock.advanceSeconds(5 * 60 + 1);
    expect((await step(third.cookie, totpCode(secret, clock.now()))).statusCode).toBe(401);
  });

  it("agents get as few wrong codes as wrong passwords (10), then a clear refusal", async () => {
    const first = await passwordStep();
    const started = await t.request({ method: "POST", url: "/api/support/me/totp", cookie: first.cookie, payload: {} });
    const secret = (started.json().secret as string).replace(/\s/g, "");
    await t.request({
      method: "PUT",
      url: "/api/support/me/totp",
      cookie: first.cookie,
      payload: { totpCode: totpCode(secret, clock.now()) },
    });
    const agent = await t.runtime.deps.db.selectFrom("support_agents").select("id").executeTakeFirstOrThrow();
    await t.runtime.deps.db
      .insertInto("login_attempts")
      .values({ subject: attemptKey(`otp:agent:${agent.id}`), failures: 9, max_failures: 10, updated_at: clock.now() })
      .execute();
    clock.advanceSeconds(60);
    const second = await passwordStep();
    const step = (totpCode: string) =>
      t.request({
        method: "POST",
        url: "/api/support/session/second-factor",
        cookie: second.cookie,
        payload: { totpCode },
      });
    expect((await step("000000")).statusCode).toBe(401); // the tenth
    clock.advanceSeconds(3600);
    const refused = await step(totpCode(secret, clock.now()));
    expect(refused.statusCode).toBe(401); // the pending sign-in is over (an hour), or refused
    const third = await passwordStep();
    const locked = await t.request({
      method: "POST",
      url: "/api/support/session/second-factor",
      cookie: third.cookie,
      payload: { totpCode: totpCode(secret, clock.now()) },
    });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.details).toEqual({ locked: true });
  });

  it("a lost phone is reset by an operator: the agent's sessions end and the next sign-in enrols again", async () => {
    const first = await passwordStep();
    const started = await t.request({ method: "POST", url: "/api/support/me/totp", cookie: first.cookie, payload: {} });
    const secret = (started.json().secret as string).replace(/\s/g, "");
    await t.request({
      method: "PUT",
      url: "/api/support/me/totp",
      cookie: first.cookie,
      payload: { totpCode: totpCode(secret, clock.now()) },
    });
    expect((await openConsole(first.cookie)).statusCode).toBe(200);
    await resetAgentTwoFactor(t.runtime.deps, " ANN@staffgate.example ");
    expect((await openConsole(first.cookie)).statusCode).toBe(401);
    expect((await passwordStep()).body).toMatchObject({ enrollmentRequired: true });
    const audit = await t.runtime.deps.db
      .selectFrom("audit_events")
      .select("action")
      .where("action", "in", ["support.two_factor_enrolled", "support.two_factor_reset"])
      .execute();
    expect(audit.map((row) => row.action).sort()).toEqual(["support.two_factor_enrolled", "support.two_factor_reset"]);
  });
});
