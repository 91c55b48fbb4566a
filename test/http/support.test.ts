import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSupportAgent } from "../../src/modules/support/index.js";
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
  signInAgentFully,
  type TestApp,
} from "../support/http.js";

const OWNER_PASSWORD = SAMPLE_ACCOUNT.ownerPassword as string;
const GOOD_ANSWERS = {
  ownerFullName: "olivia HARPER",
  billingPostalCode: " 94-110 ",
  cardLast4: "4242",
  businessPhone: "(415) 555-0100",
};

describe.each(dialects)("vendor support console on %s", (dialect) => {
  let clock: ManualClock;
  let t: TestApp;
  let accountId: string;
  let ann: string;
  let bob: string;

  const agentSignIn = (email: string, password: string) => signInAgentFully(t, email, password);
  const supportCookie = (response: Awaited<ReturnType<typeof agentSignIn>>) => {
    const cookie = response.cookies.find((c) => c.name === "staffgate_support");
    if (!cookie) throw new Error(`no support cookie: ${response.body}`);
    return `${cookie.name}=${cookie.value}`;
  };
  const as = (cookie: string, method: "GET" | "POST", url: string, payload?: object) =>
    t.request({ method, url, cookie, ...(payload ? { payload } : {}) });
  const openCase = (cookie: string, answers: object = GOOD_ANSWERS, slug = "acme-swim") =>
    as(cookie, "POST", `/api/support/accounts/${slug}/recovery-cases`, { callerName: "Olivia on the phone", answers });

  beforeEach(async () => {
    clock = new ManualClock(Date.now());
    t = await createTestApp(dialect, { clock });
    accountId = (await seedAccount(t)).account.id;
    await createSupportAgent(t.runtime.deps, {
      email: "ann@staffgate.example",
      name: "Ann Agent",
      password: "granite-orchard-lamp-19",
    });
    await createSupportAgent(t.runtime.deps, {
      email: "bob@staffgate.example",
      name: "Bob Agent",
      password: "copper-meadow-kite-27",
    });
    ann = supportCookie(await agentSignIn("ann@staffgate.example", "granite-orchard-lamp-19"));
    bob = supportCookie(await agentSignIn("BOB@staffgate.example", "copper-meadow-kite-27"));
  });
  afterEach(async () => t.close());

  it("gives agents their own realm: a cookie scoped to /api/support, never valid on portal paths and vice versa", async () => {
    const response = await agentSignIn("ann@staffgate.example", "granite-orchard-lamp-19");
    expect(response.json().agent).toMatchObject({ email: "ann@staffgate.example", name: "Ann Agent" });
    expect(response.cookies.find((c) => c.name === "staffgate_support")).toMatchObject({
      path: "/api/support",
      httpOnly: true,
      sameSite: "Strict",
    });
    const supportToken = ann.split("=")[1] as string;
    const portal = await t.request({
      method: "GET",
      url: "/api/accounts/acme-swim/me",
      cookie: `staffgate_session=${supportToken}`,
    });
    expect(portal.statusCode).toBe(401);

    const portalCookie = sessionCookie(await signIn(t, "admin", OWNER_PASSWORD));
    const portalToken = portalCookie.split("=")[1] as string;
    for (const cookie of [portalCookie, `staffgate_support=${portalToken}`]) {
      expect((await as(cookie, "GET", "/api/support/accounts")).statusCode).toBe(401);
    }
    expect((await agentSignIn("ann@staffgate.example", "wrong-password-123")).statusCode).toBe(401);
    expect((await agentSignIn("nobody@staffgate.example", "wrong-password-123")).json().error.code).toBe(
      "invalid_credentials",
    );
  });

  it("ends an agent's session after 30 minutes idle", async () => {
    clock.advanceSeconds(29 * 60);
    expect((await as(ann, "GET", "/api/support/session")).statusCode).toBe(200);
    clock.advanceSeconds(29 * 60);
    expect((await as(ann, "GET", "/api/support/session")).statusCode).toBe(200);
    clock.advanceSeconds(31 * 60);
    expect((await as(ann, "GET", "/api/support/session")).statusCode).toBe(401);
  });

  it("finds businesses and shows a summary with no secrets", async () => {
    const found = await as(ann, "GET", "/api/support/accounts?search=acme");
    expect(found.json().items).toEqual([{ slug: "acme-swim", name: "Acme Swim", ownerName: "Olivia Harper" }]);
    const summary = await as(ann, "GET", "/api/support/accounts/acme-swim");
    expect(summary.json()).toMatchObject({
      ownerName: "Olivia Harper",
      ownerEmail: "o•••@acme.example",
      ownerPhone: "(•••) •••-0100",
      verificationFactsOnFile: { ownerFullName: true, billingPostalCode: true, cardLast4: true, businessPhone: true },
    });
    expect(summary.body).not.toMatch(/94110|4242|olivia@acme|555 0100|argon2/);
  });

  it("verifies answers ignoring case, spaces and punctuation, and reveals only match or mismatch", async () => {
    const verified = await openCase(ann);
    expect(verified.statusCode).toBe(201);
    expect(verified.json()).toMatchObject({
      status: "verified",
      verified: true,
      checks: { ownerFullName: "match", billingPostalCode: "match", cardLast4: "match", businessPhone: "match" },
    });
    const partial = await openCase(ann, { ownerFullName: "Olivia Harper", cardLast4: "4242" });
    expect(partial.json()).toMatchObject({ status: "unverified", verified: false });
    expect(partial.json().checks.billingPostalCode).toBe("not_provided");
    const wrong = await openCase(ann, { ...GOOD_ANSWERS, cardLast4: "1111" });
    expect(wrong.json()).toMatchObject({ status: "rejected", checks: { cardLast4: "mismatch" } });
    expect(wrong.body).not.toContain("4242");
    const stored = await t.runtime.deps.db.selectFrom("recovery_cases").selectAll().execute();
    expect(JSON.stringify(stored)).not.toMatch(/94-110|\(415\)|olivia HARPER/);
  });

  it("needs a second agent, then recovers the owner with a temporary password that must be changed", async () => {
    const ownerSession = sessionCookie(await signIn(t, "admin", OWNER_PASSWORD));
    await insertStaffMember(t, accountId, {
      username: "boss",
      password: "boss-pass-word-1",
      adminFullAccess: true,
      email: "boss@acme.example",
    });
    const opened = (await openCase(ann)).json();
    const early = await as(ann, "POST", `/api/support/recovery-cases/${opened.id}/complete`, {
      delivery: "temporary_password",
    });
    expect(early.statusCode).toBe(409);
    const self = await as(ann, "POST", `/api/support/recovery-cases/${opened.id}/approve`);
    expect(self.statusCode).toBe(403);
    const approved = await as(bob, "POST", `/api/support/recovery-cases/${opened.id}/approve`);
    expect(approved.json()).toMatchObject({ status: "approved", approvedBy: "Bob Agent", openedBy: "Ann Agent" });

    const done = await as(ann, "POST", `/api/support/recovery-cases/${opened.id}/complete`, {
      delivery: "temporary_password",
    });
    expect(done.statusCode).toBe(200);
    expect(done.headers["cache-control"]).toBe("no-store");
    const { temporaryPassword } = done.json();
    expect(temporaryPassword).toMatch(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/);
    expect(
      (await as(ann, "POST", `/api/support/recovery-cases/${opened.id}/complete`, { delivery: "temporary_password" }))
        .statusCode,
    ).toBe(409);

    expect(
      (await t.request({ method: "GET", url: "/api/accounts/acme-swim/me", cookie: ownerSession })).statusCode,
    ).toBe(401);
    const login = await signIn(t, "admin", temporaryPassword);
    expect(login.json().passwordChangeRequired).toBe(true);

    const notices = await t.runtime.deps.db
      .selectFrom("outbox_messages")
      .select(["recipient", "template"])
      .where("template", "=", "owner_recovered_notice")
      .execute();
    expect(notices.map((n) => n.recipient).sort()).toEqual(["boss@acme.example", "olivia@acme.example"]);
    const ownerCookie = sessionCookie(
      await signIn(t, "admin", temporaryPassword).then(async () => {
        await t.request({
          method: "PUT",
          url: "/api/accounts/acme-swim/me/password",
          cookie: sessionCookie(login),
          payload: {
            currentPassword: temporaryPassword,
            newPassword: "fresh-start-pass-9",
            newPasswordConfirmation: "fresh-start-pass-9",
          },
        });
        return signIn(t, "admin", "fresh-start-pass-9");
      }),
    );
    const log = (
      await t.request({
        method: "GET",
        url: "/api/accounts/acme-swim/audit-events?action=support.owner_recovered",
        cookie: ownerCookie,
      })
    ).json();
    expect(log.items[0]).toMatchObject({
      source: "support",
      actor: { type: "support_agent", name: "Ann Agent" },
      details: { caseId: opened.id, openedBy: "Ann Agent", approvedBy: "Bob Agent", delivery: "temporary_password" },
    });
  });

  it("can send the owner a reset link to the email on file instead", async () => {
    const opened = (await openCase(ann)).json();
    await as(bob, "POST", `/api/support/recovery-cases/${opened.id}/approve`);
    const done = await as(bob, "POST", `/api/support/recovery-cases/${opened.id}/complete`, { delivery: "email" });
    expect(done.json()).toEqual({ sentTo: "o•••@acme.example" });
    const token = await t.runtime.deps.db.selectFrom("password_reset_tokens").selectAll().executeTakeFirstOrThrow();
    expect(token).toMatchObject({ purpose: "owner_recovery", channel: "email" });
  });

  it("lost phone: a verified, approved case removes the owner's two-step sign-in, keeping the password", async () => {
    const { totpCode } = await import("../../src/modules/two-factor/index.js");
    const owner = sessionCookie(await signIn(t, "admin", SAMPLE_ACCOUNT.ownerPassword as string));
    const enrol = (
      await t.request({ method: "POST", url: "/api/accounts/acme-swim/me/totp", cookie: owner, payload: {} })
    ).json();
    await t.request({
      method: "PUT",
      url: "/api/accounts/acme-swim/me/totp",
      cookie: owner,
      payload: { totpCode: totpCode(enrol.secret.replace(/\s/g, ""), clock.now()) },
    });
    expect((await signIn(t, "admin", SAMPLE_ACCOUNT.ownerPassword as string)).json().secondFactorRequired).toBe(true);
    const opened = (await openCase(ann)).json();
    await as(bob, "POST", `/api/support/recovery-cases/${opened.id}/approve`);
    const done = await as(bob, "POST", `/api/support/recovery-cases/${opened.id}/complete`, {
      delivery: "two_factor_reset",
    });
    expect(done.json()).toEqual({ twoFactorReset: true });
    expect((await t.request({ method: "GET", url: "/api/accounts/acme-swim/me", cookie: owner })).statusCode).toBe(401);
    const again = await signIn(t, "admin", SAMPLE_ACCOUNT.ownerPassword as string);
    expect(again.json().staff.twoFactor).toEqual({ totp: false, passkeys: 0, recoveryCodesLeft: 0 });
    const reset = await t.runtime.deps.db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "two_factor.reset")
      .executeTakeFirstOrThrow();
    expect(reset).toMatchObject({ source: "support", actor_type: "support_agent" });
    await deliverMessages(t);
    const toOwner = t.runtime.deps.devMailbox
      ?.list()
      .filter((m) => m.to === "olivia@acme.example" && /recover|reset/i.test(m.subject));
    expect(toOwner).toHaveLength(1); // one email per recovery, not two
  });

  it("lets a mismatched or unverified case go no further, and throttles and flags repeated failures", async () => {
    const rejected = (await openCase(ann, { ...GOOD_ANSWERS, billingPostalCode: "10001" })).json();
    expect((await as(bob, "POST", `/api/support/recovery-cases/${rejected.id}/approve`)).statusCode).toBe(409);
    expect(
      (await as(bob, "POST", `/api/support/recovery-cases/${rejected.id}/complete`, { delivery: "email" })).statusCode,
    ).toBe(409);
    await openCase(ann, { ownerFullName: "Olivia Harper" });
    await openCase(ann, { ownerFullName: "Someone Else" });
    const refused = await openCase(ann);
    expect(refused.statusCode).toBe(429);
    const flagged = await t.runtime.deps.db
      .selectFrom("audit_events")
      .select("action")
      .where("account_id", "=", accountId)
      .where("action", "in", ["support.recovery_flagged", "support.recovery_throttled"])
      .execute();
    expect(flagged.map((e) => e.action).sort()).toEqual(["support.recovery_flagged", "support.recovery_throttled"]);
    expect((await as(ann, "GET", "/api/support/recovery-cases/case_unknown")).statusCode).toBe(404);
  });

  it("expires cases after an hour", async () => {
    const opened = (await openCase(ann)).json();
    clock.advanceSeconds(61 * 60);
    const bobAgain = supportCookie(await agentSignIn("bob@staffgate.example", "copper-meadow-kite-27"));
    expect((await as(bobAgain, "POST", `/api/support/recovery-cases/${opened.id}/approve`)).statusCode).toBe(409);
  });

  it("grants SMS credits with a reason, in the ledger and the audit log", async () => {
    const granted = await as(ann, "POST", "/api/support/accounts/acme-swim/sms-credits", {
      amount: 50,
      reason: "Welcome pack",
    });
    expect(granted.json()).toEqual({ smsCredits: 50 });
    expect(
      (await as(ann, "POST", "/api/support/accounts/acme-swim/sms-credits", { amount: 0, reason: "x" })).statusCode,
    ).toBe(400);
    const event = await t.runtime.deps.db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "sms_credits.granted")
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({ source: "support", actor_name: "Ann Agent" });
  });
});

describe("with SUPPORT_DUAL_CONTROL=false", () => {
  it("lets one agent complete a verified case", async () => {
    const t = await createTestApp("sqlite", { env: { SUPPORT_DUAL_CONTROL: "false" } });
    try {
      await seedAccount(t);
      await createSupportAgent(t.runtime.deps, {
        email: "solo@staffgate.example",
        name: "Solo",
        password: "granite-orchard-lamp-19",
      });
      const login = await signInAgentFully(t, "solo@staffgate.example", "granite-orchard-lamp-19");
      const cookie = `staffgate_support=${login.cookies.find((c) => c.name === "staffgate_support")?.value}`;
      const opened = await t.request({
        method: "POST",
        url: "/api/support/accounts/acme-swim/recovery-cases",
        cookie,
        payload: { callerName: "Olivia", answers: GOOD_ANSWERS },
      });
      expect(opened.json().dualControl).toBe(false);
      const done = await t.request({
        method: "POST",
        url: `/api/support/recovery-cases/${opened.json().id}/complete`,
        cookie,
        payload: { delivery: "temporary_password" },
      });
      expect(done.statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });
});
