/**
 * Two-factor sign-in (API.md v2; issue 14): enrolment with a QR code and the first code,
 * recovery codes, the second step of a sign-in, replays, drift and throttling, "Require
 * two-factor", sudo mode by a code, and an admin's reset — on both databases, two nodes where
 * state must be shared.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { attemptKey } from "../../src/modules/credentials/index.js";
import { totpCode } from "../../src/modules/two-factor/index.js";
import { ManualClock } from "../../src/shared/clock.js";
import { dialects, redisTestUrl } from "../support/dialects.js";
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

const BASE = `/api/accounts/${SAMPLE_ACCOUNT.slug}`;
const OWNER_PASSWORD = SAMPLE_ACCOUNT.ownerPassword as string;
const SAM_PASSWORD = "front-desk-pass-1";

function pendingCookie(reply: { cookies: Array<{ name: string; value: string }> }): string {
  const cookie = reply.cookies.find((c) => c.name.endsWith("staffgate_pending"));
  if (!cookie) throw new Error("no pending sign-in cookie");
  return `${cookie.name}=${cookie.value}`;
}

const secretOf = (enrolment: { secret: string }) => enrolment.secret.replace(/\s+/g, "");

describe.each(dialects)("two-factor sign-in on %s", (dialect) => {
  let clock: ManualClock;
  let t: TestApp;
  let accountId: string;

  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 11, 8, 9, 0, 0));
    t = await createTestApp(dialect, { clock });
    accountId = (await seedAccount(t)).account.id;
    await insertStaffMember(t, accountId, { username: "sam", password: SAM_PASSWORD, email: "sam@acme.example" });
  });
  afterEach(async () => t.close());

  const as = (cookie: string, method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE", url: string, payload?: object) =>
    t.request({ method, url, cookie, ...(payload ? { payload } : {}) });

  /** Signs Sam in and sets up an authenticator app; returns the secret and the recovery codes. */
  async function enrolSam() {
    const cookie = sessionCookie(await signIn(t, "sam", SAM_PASSWORD));
    const started = await as(cookie, "POST", `${BASE}/me/totp`, {});
    expect(started.statusCode, started.body).toBe(200);
    const secret = secretOf(started.json());
    const confirmed = await as(cookie, "PUT", `${BASE}/me/totp`, { totpCode: totpCode(secret, clock.now()) });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    return { cookie, secret, recoveryCodes: confirmed.json().recoveryCodes as string[] };
  }

  async function passwordStep(login = "sam", password = SAM_PASSWORD) {
    const reply = await signIn(t, login, password);
    expect(reply.statusCode, reply.body).toBe(200);
    return { reply, pending: pendingCookie(reply) };
  }

  const secondStep = (pending: string, body: object) =>
    t.request({ method: "POST", url: `${BASE}/session/second-factor`, cookie: pending, payload: body });

  it("enrols an authenticator app: a QR code and a key to type, nothing in force until the first code", async () => {
    const cookie = sessionCookie(await signIn(t, "sam", SAM_PASSWORD));
    const started = (await as(cookie, "POST", `${BASE}/me/totp`, {})).json();
    expect(started.secret).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    expect(started.otpauthUri).toMatch(/^otpauth:\/\/totp\/.+secret=[A-Z2-7]{32}/);
    expect(started.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(started.qrSvg).not.toMatch(/<script|on\w+=|style=/i);
    // Not in force yet: the password alone still signs in.
    expect((await signIn(t, "sam", SAM_PASSWORD)).json().staff).toBeDefined();
    const wrong = await as(cookie, "PUT", `${BASE}/me/totp`, { totpCode: "000000" });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe("invalid_second_factor");
    const confirmed = await as(cookie, "PUT", `${BASE}/me/totp`, {
      totpCode: totpCode(secretOf(started), clock.now()),
    });
    const codes = confirmed.json().recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const me = (await as(cookie, "GET", `${BASE}/me`)).json();
    expect(me.twoFactor).toEqual({ totp: true, passkeys: 0, recoveryCodesLeft: 10 });
    // The secret is never returned again, and is sealed at rest.
    const row = await t.runtime.deps.db.selectFrom("totp_factors").selectAll().executeTakeFirstOrThrow();
    expect(row.sealed_secret).not.toContain(secretOf(started));
    expect(JSON.stringify(me)).not.toContain(secretOf(started));
    await deliverMessages(t);
    expect(t.runtime.deps.devMailbox?.list().map((m) => m.subject)).toContainEqual(
      expect.stringContaining("authenticator app was added"),
    );
  });

  it("asks for a code after the password, accepts it once, with one step of drift either way", async () => {
    const { secret } = await enrolSam();
    clock.advanceSeconds(90);
    const { reply, pending } = await passwordStep();
    expect(reply.json()).toEqual({
      secondFactorRequired: true,
      methods: ["totp", "recovery_code"],
      enrollmentRequired: false,
    });
    expect(reply.cookies.find((c) => c.name === "staffgate_session")).toBeUndefined();
    // The pending sign-in is good for nothing else.
    expect((await as(pending, "GET", `${BASE}/me`)).statusCode).toBe(401);
    const code = totpCode(secret, clock.now() - 30_000); // the phone's clock is 30 s slow
    const done = await secondStep(pending, { totpCode: code });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().staff.username).toBe("sam");
    const cookie = sessionCookie(done);
    expect((await as(cookie, "GET", `${BASE}/me`)).statusCode).toBe(200);
    const session = await t.runtime.deps.db
      .selectFrom("sessions")
      .select("amr")
      .orderBy("created_at", "desc")
      .executeTakeFirstOrThrow();
    expect(session.amr).toBe("pwd,otp");
    // The same code again (a replay), even in a new sign-in: refused.
    const again = await passwordStep();
    expect((await secondStep(again.pending, { totpCode: code })).json().error.code).toBe("invalid_second_factor");
    // Two steps away: refused.
    clock.advanceSeconds(30);
    expect((await secondStep(again.pending, { totpCode: totpCode(secret, clock.now() - 90_000) })).statusCode).toBe(
      401,
    );
    expect((await secondStep(again.pending, { totpCode: totpCode(secret, clock.now()) })).statusCode).toBe(200);
  });

  it("a pending sign-in can't set up a new app in place of the second step the person has", async () => {
    await enrolSam();
    const { pending } = await passwordStep();
    const start = await as(pending, "POST", `${BASE}/me/totp`, {});
    expect(start.statusCode).toBe(401);
    const confirm = await as(pending, "PUT", `${BASE}/me/totp`, { totpCode: "123456" });
    expect(confirm.statusCode).toBe(401);
    expect(confirm.cookies.find((c) => c.name === "staffgate_session")).toBeUndefined();
  });

  it("signing out drops a sign-in waiting for its second step", async () => {
    const { secret } = await enrolSam();
    clock.advanceSeconds(60);
    const { pending } = await passwordStep();
    const out = await as(pending, "DELETE", `${BASE}/session`);
    expect(out.statusCode).toBe(204);
    expect((await secondStep(pending, { totpCode: totpCode(secret, clock.now()) })).statusCode).toBe(401);
  });

  describe("found by attacking it", () => {
    const insertPasskey = () =>
      t.runtime.deps.db
        .insertInto("passkeys")
        .values({
          id: "cred-1",
          account_id: accountId,
          staff_id: "stf_sam",
          public_key: "AAAA",
          counter: 0,
          name: "Phone",
          created_at: clock.now(),
          last_used_at: null,
        })
        .execute();
    const passkeyCount = async () =>
      (await t.runtime.deps.db.selectFrom("passkeys").select("id").where("staff_id", "=", "stf_sam").execute()).length;

    it("a stolen session can't set up an app without sudo mode (and then confirm 'it's you' with it)", async () => {
      const cookie = sessionCookie(await signIn(t, "sam", SAM_PASSWORD));
      clock.advanceSeconds(11 * 60);
      const start = await as(cookie, "POST", `${BASE}/me/totp`, {});
      expect(start.json().error.code).toBe("reauthentication_required");
      const confirm = await as(cookie, "PUT", `${BASE}/me/totp`, { totpCode: "123456" });
      expect(confirm.json().error.code).toBe("reauthentication_required");
    });

    it("a pending sign-in can't set up an app once the person has a passkey, even if enrolment was due", async () => {
      await t.runtime.deps.db.updateTable("accounts").set({ require_two_factor: 1 }).execute();
      const { reply, pending } = await passwordStep();
      expect(reply.json().enrollmentRequired).toBe(true);
      await insertPasskey();
      const started = await as(pending, "POST", `${BASE}/me/totp`, {});
      const confirm = await as(pending, "PUT", `${BASE}/me/totp`, {
        totpCode: totpCode(secretOf(started.json()), clock.now()),
      });
      expect(confirm.statusCode).toBe(401);
      expect(confirm.cookies.find((c) => c.name === "staffgate_session")).toBeUndefined();
    });

    it("passkeys go when someone else sets the password or the person is made inactive; one's own change keeps them", async () => {
      const owner = sessionCookie(await signIn(t, "admin", OWNER_PASSWORD));
      const sam = sessionCookie(await signIn(t, "sam", SAM_PASSWORD));
      await insertPasskey();
      await as(sam, "PUT", `${BASE}/me/password`, {
        currentPassword: SAM_PASSWORD,
        newPassword: "harbour-compass-77",
        newPasswordConfirmation: "harbour-compass-77",
      });
      expect(await passkeyCount()).toBe(1);
      await as(owner, "PUT", `${BASE}/staff/stf_sam/password`, { password: "lantern-keeper-58" });
      expect(await passkeyCount()).toBe(0);
      await insertPasskey();
      await as(owner, "PATCH", `${BASE}/staff/stf_sam`, { status: "inactive" });
      expect(await passkeyCount()).toBe(0);
    });

    it("100 wrong codes stop the checks with a clear answer; a new password lifts it", async () => {
      const { secret } = await enrolSam();
      await t.runtime.deps.db
        .insertInto("login_attempts")
        .values({ subject: attemptKey("otp:staff:stf_sam"), failures: 100, max_failures: 100, updated_at: clock.now() })
        .execute();
      clock.advanceSeconds(60);
      const { pending } = await passwordStep();
      const locked = await secondStep(pending, { totpCode: totpCode(secret, clock.now()) });
      expect(locked.statusCode).toBe(429);
      expect(locked.json().error.details).toEqual({ locked: true });
      const owner = sessionCookie(await signIn(t, "admin", OWNER_PASSWORD));
      await as(owner, "PUT", `${BASE}/staff/stf_sam/password`, {
        password: "lantern-keeper-58",
        mustChangeAtNextLogin: false,
      });
      clock.advanceSeconds(60);
      const again = await passwordStep("sam", "lantern-keeper-58");
      expect((await secondStep(again.pending, { totpCode: totpCode(secret, clock.now()) })).statusCode).toBe(200);
    });

    it("an admin's reset of someone's factors ends their sessions; each use re-seals the secret", async () => {
      const { cookie, secret } = await enrolSam();
      const sealedBefore = (
        await t.runtime.deps.db.selectFrom("totp_factors").select("sealed_secret").executeTakeFirstOrThrow()
      ).sealed_secret;
      clock.advanceSeconds(60);
      const { pending } = await passwordStep();
      await secondStep(pending, { totpCode: totpCode(secret, clock.now()) });
      const sealedAfter = (
        await t.runtime.deps.db.selectFrom("totp_factors").select("sealed_secret").executeTakeFirstOrThrow()
      ).sealed_secret;
      expect(sealedAfter).not.toBe(sealedBefore);
      const owner = sessionCookie(await signIn(t, "admin", OWNER_PASSWORD));
      expect((await as(owner, "DELETE", `${BASE}/staff/stf_sam/two-factor`)).statusCode).toBe(204);
      expect((await as(cookie, "GET", `${BASE}/me`)).statusCode).toBe(401);
    });
  });

  it("a pending sign-in lasts 5 minutes and is used once", async () => {
    const { secret } = await enrolSam();
    clock.advanceSeconds(60);
    const { pending } = await passwordStep();
    clock.advanceSeconds(5 * 60);
    const late = await secondStep(pending, { totpCode: totpCode(secret, clock.now()) });
    expect(late.statusCode).toBe(401);
    expect(late.json().error.code).toBe("unauthenticated");
    const fresh = await passwordStep();
    const code = totpCode(secret, clock.now());
    const [one, two] = await Promise.all([
      secondStep(fresh.pending, { totpCode: code }),
      secondStep(fresh.pending, { totpCode: code }),
    ]);
    // Exactly one wins; the other is refused (a replay, or while the winner holds the check).
    expect([one.statusCode, two.statusCode].filter((status) => status === 200)).toHaveLength(1);
    expect([one.statusCode, two.statusCode].filter((status) => status !== 200)[0]).toBeOneOf([401, 429]);
  });

  it("takes a recovery code once, and says how many are left", async () => {
    const { recoveryCodes } = await enrolSam();
    const { pending } = await passwordStep();
    const code = recoveryCodes[3] as string;
    const done = await secondStep(pending, { recoveryCode: code.toLowerCase().replace(/-/g, " ") });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().staff.twoFactor.recoveryCodesLeft).toBe(9);
    const again = await passwordStep();
    expect((await secondStep(again.pending, { recoveryCode: code })).statusCode).toBe(401);
    const events = await as(sessionCookie(await signIn(t, "admin", OWNER_PASSWORD)), "GET", `${BASE}/audit-events`);
    const actions = events.json().items.map((e: { action: string }) => e.action);
    expect(actions).toContain("two_factor.recovery_code_used");
    expect(actions).toContain("two_factor.failed");
  });

  it("throttles wrong codes like passwords, and stops evaluating after 100", async () => {
    await enrolSam();
    const { pending } = await passwordStep();
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await secondStep(pending, { totpCode: "123456" })).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it("'Require two-factor' is Admin Access in sudo mode, and locks nobody out", async () => {
    const owner = sessionCookie(await signIn(t, "admin", OWNER_PASSWORD));
    const sam = sessionCookie(await signIn(t, "sam", SAM_PASSWORD));
    expect((await as(sam, "PATCH", `${BASE}/settings`, { requireTwoFactor: true })).statusCode).toBe(403);
    clock.advanceSeconds(11 * 60);
    const stale = await as(owner, "PATCH", `${BASE}/settings`, { requireTwoFactor: true });
    expect(stale.json().error.code).toBe("reauthentication_required");
    await as(owner, "POST", `${BASE}/session/reauthenticate`, { password: OWNER_PASSWORD });
    const on = await as(owner, "PATCH", `${BASE}/settings`, { requireTwoFactor: true });
    expect(on.json()).toMatchObject({ requireTwoFactor: true });
    // Saving it unchanged later asks for nothing.
    clock.advanceSeconds(11 * 60);
    expect(
      (await as(owner, "PATCH", `${BASE}/settings`, { requireTwoFactor: true, passwordMinLength: 10 })).statusCode,
    ).toBe(200);
    // Nobody is locked out: the next sign-in asks to set a factor up.
    expect((await signIn(t, "sam", SAM_PASSWORD)).json()).toMatchObject({ enrollmentRequired: true });
  });

  it("when the business requires it, a person with no second factor sets one up during sign-in", async () => {
    await t.runtime.deps.db.updateTable("accounts").set({ require_two_factor: 1 }).execute();
    const { reply, pending } = await passwordStep();
    expect(reply.json()).toEqual({ secondFactorRequired: true, methods: [], enrollmentRequired: true });
    // Without a factor there's nothing to check: the second step refuses.
    expect((await secondStep(pending, { totpCode: "123456" })).statusCode).toBe(409);
    const started = await as(pending, "POST", `${BASE}/me/totp`, {});
    expect(started.statusCode, started.body).toBe(200);
    const confirmed = await as(pending, "PUT", `${BASE}/me/totp`, {
      totpCode: totpCode(secretOf(started.json()), clock.now()),
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ signedIn: true, staff: { username: "sam" } });
    expect(confirmed.json().recoveryCodes).toHaveLength(10);
    expect((await as(sessionCookie(confirmed), "GET", `${BASE}/me`)).statusCode).toBe(200);
    // The last factor can't be removed while the business requires one.
    const removal = await as(sessionCookie(confirmed), "DELETE", `${BASE}/me/totp`);
    expect(removal.statusCode).toBe(409);
    expect(removal.json().error.code).toBe("two_factor_required");
  });

  it("a second factor re-authenticates for sudo mode", async () => {
    const { cookie, secret } = await enrolSam();
    clock.advanceSeconds(11 * 60);
    expect((await as(cookie, "POST", `${BASE}/me/recovery-codes`)).json().error.code).toBe("reauthentication_required");
    const wrong = await as(cookie, "POST", `${BASE}/session/reauthenticate`, { totpCode: "000000" });
    expect(wrong.statusCode).toBe(401);
    const right = await as(cookie, "POST", `${BASE}/session/reauthenticate`, {
      totpCode: totpCode(secret, clock.now()),
    });
    expect(right.statusCode).toBe(204);
    const fresh = await as(cookie, "POST", `${BASE}/me/recovery-codes`);
    expect(fresh.statusCode).toBe(200);
    expect(fresh.json().recoveryCodes).toHaveLength(10);
  });

  it("lost phone: Admin Access resets someone's two-factor in sudo mode; only the owner resets the owner's", async () => {
    await enrolSam();
    await insertStaffMember(t, accountId, {
      username: "alex",
      password: SAM_PASSWORD,
      adminFullAccess: true,
      email: "alex@acme.example",
    });
    const alex = sessionCookie(await signIn(t, "alex", SAM_PASSWORD));
    const owner = sessionCookie(await signIn(t, "admin", OWNER_PASSWORD));
    const ownerEnrol = (await as(owner, "POST", `${BASE}/me/totp`, {})).json();
    await as(owner, "PUT", `${BASE}/me/totp`, { totpCode: totpCode(secretOf(ownerEnrol), clock.now()) });
    const ownerId = (await as(owner, "GET", `${BASE}/me`)).json().id as string;

    expect((await as(alex, "DELETE", `${BASE}/staff/${ownerId}/two-factor`)).json().error.code).toBe("owner_protected");
    clock.advanceSeconds(11 * 60);
    const stale = await as(alex, "DELETE", `${BASE}/staff/stf_sam/two-factor`);
    expect(stale.json().error.code).toBe("reauthentication_required");
    await as(alex, "POST", `${BASE}/session/reauthenticate`, { password: SAM_PASSWORD });
    expect((await as(alex, "DELETE", `${BASE}/staff/stf_sam/two-factor`)).statusCode).toBe(204);
    expect((await signIn(t, "sam", SAM_PASSWORD)).json().staff).toBeDefined(); // password alone again
    await deliverMessages(t);
    const to = t.runtime.deps.devMailbox
      ?.list()
      .filter((m) => /reset/.test(m.subject))
      .map((m) => m.to);
    expect(to).toEqual(expect.arrayContaining(["sam@acme.example", "olivia@acme.example"]));
  });
});

describe.skipIf(!redisTestUrl).each(dialects)("two-factor on two nodes on %s", (dialect) => {
  let a: TestApp;
  let b: TestApp;
  beforeEach(async () => {
    const env = { REDIS_URL: redisTestUrl as string };
    a = await createTestApp(dialect, { env });
    b = await createTestApp(dialect, { env, joinDatabaseOf: a.runtime });
    const { account } = await seedAccount(a);
    await insertStaffMember(a, account.id, { username: "sam", password: SAM_PASSWORD });
  });
  afterEach(async () => {
    await b.close();
    await a.close();
  });

  it("a code accepted on one node is a replay on the other, and wrong codes count on both", async () => {
    const cookie = sessionCookie(await signIn(a, "sam", SAM_PASSWORD));
    const started = (await a.request({ method: "POST", url: `${BASE}/me/totp`, cookie, payload: {} })).json();
    const secret = secretOf(started);
    await b.request({
      method: "PUT",
      url: `${BASE}/me/totp`,
      cookie,
      payload: { totpCode: totpCode(secret, Date.now() - 30_000) },
    });
    const first = pendingCookie(await signIn(a, "sam", SAM_PASSWORD));
    const second = pendingCookie(await signIn(b, "sam", SAM_PASSWORD));
    const code = totpCode(secret, Date.now());
    const [one, two] = await Promise.all([
      a.request({ method: "POST", url: `${BASE}/session/second-factor`, cookie: first, payload: { totpCode: code } }),
      b.request({ method: "POST", url: `${BASE}/session/second-factor`, cookie: second, payload: { totpCode: code } }),
    ]);
    // Exactly one wins; the other is refused (a replay, or while the winner holds the check).
    expect([one.statusCode, two.statusCode].filter((status) => status === 200)).toHaveLength(1);
    expect([one.statusCode, two.statusCode].filter((status) => status !== 200)[0]).toBeOneOf([401, 429]);
    // And afterwards, on either node, the code is a replay. (The refused attempt above counted as
    // a failure; cleared, so that what is checked here is the code alone, not a delay.)
    for (const node of [a, b]) {
      await a.runtime.deps.loginThrottle.clear("otp:staff:stf_sam");
      await a.runtime.deps.db.deleteFrom("login_attempts").execute();
      const pending = pendingCookie(await signIn(node, "sam", SAM_PASSWORD));
      const replay = await node.request({
        method: "POST",
        url: `${BASE}/session/second-factor`,
        cookie: pending,
        payload: { totpCode: code },
      });
      expect(replay.statusCode).toBe(401);
    }
    await a.runtime.deps.loginThrottle.clear("otp:staff:stf_sam");
    await a.runtime.deps.db.deleteFrom("login_attempts").execute();
    const third = pendingCookie(await signIn(a, "sam", SAM_PASSWORD));
    const statuses = [];
    const bodies: string[] = [];
    for (let i = 0; i < 6; i++) {
      const node = i % 2 ? a : b;
      const reply = await node.request({
        method: "POST",
        url: `${BASE}/session/second-factor`,
        cookie: third,
        payload: { totpCode: "000000" },
      });
      statuses.push(reply.statusCode);
      bodies.push(reply.body);
    }
    // Both nodes count into one delay and one cap: the sixth is refused however the five before
    // were spread (a request meeting the other node's check in progress is refused too, 429).
    expect(statuses.at(-1), JSON.stringify(bodies)).toBe(429);
    const evaluated = statuses.filter((status) => status === 401).length;
    expect(evaluated).toBeGreaterThanOrEqual(4);
    const counted = await a.runtime.deps.db
      .selectFrom("login_attempts")
      .select("failures")
      .where("subject", "=", attemptKey("otp:staff:stf_sam"))
      .executeTakeFirstOrThrow();
    expect(counted.failures).toBe(evaluated);
  });
});
