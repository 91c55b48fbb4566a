/**
 * Issue 12: the ways a borrowed session became a permanent takeover, and a stranger locked the
 * owner out — each tried as the attacker would, on both databases.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/shared/clock.js";
import { dialects } from "../support/dialects.js";
import {
  SAMPLE_ACCOUNT,
  createTestApp,
  deliverMessages,
  failuresOf,
  insertStaffMember,
  ownerId,
  seedAccount,
  sessionCookie,
  setFailures,
  signIn,
  type TestApp,
} from "../support/http.js";

const BASE = `/api/accounts/${SAMPLE_ACCOUNT.slug}`;
const OWNER_PASSWORD = SAMPLE_ACCOUNT.ownerPassword as string;
const SAM_PASSWORD = "front-desk-pass-1";

function mailbox(t: TestApp) {
  const box = t.runtime.deps.devMailbox;
  if (!box) throw new Error("expected the dev mailbox");
  return box.list();
}

function linkToken(text: string, page: "unlock" | "verify-email" | "reset-password"): string {
  const match = new RegExp(`/${page}#token=([A-Za-z0-9_-]+)`).exec(text);
  if (!match?.[1]) throw new Error(`no ${page} link in: ${text}`);
  return match[1];
}

/** Every `name=value` cookie a reply set, joined for the next request (like a browser would). */
function cookiesOf(reply: { cookies: Array<{ name: string; value: string }> }): string {
  return reply.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
}

describe.each(dialects)("takeover and lock-out paths on %s", (dialect) => {
  let clock: ManualClock;
  let t: TestApp;
  let accountId: string;
  let owner: string;

  const as = (cookie: string, method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE", url: string, payload?: object) =>
    t.request({ method, url, cookie, ...(payload ? { payload } : {}) });
  const reauthenticate = (cookie: string, password: string) =>
    as(cookie, "POST", `${BASE}/session/reauthenticate`, { password });

  beforeEach(async () => {
    clock = new ManualClock(Date.now());
    t = await createTestApp(dialect, { clock });
    accountId = (await seedAccount(t)).account.id;
    await insertStaffMember(t, accountId, {
      username: "sam",
      password: SAM_PASSWORD,
      email: "sam@acme.example",
      adminFullAccess: true,
    });
    await t.runtime.deps.db.updateTable("staff").set({ mobile_phone: "+14155550123", sms_opt_in: 1 }).execute();
    owner = sessionCookie(await signIn(t, "admin", OWNER_PASSWORD));
  });
  afterEach(async () => t.close());

  describe("sudo mode", () => {
    const sensitive = (cookie: string) => [
      () => as(cookie, "PUT", `${BASE}/staff/stf_sam/password`, { password: "harbour-compass-77" }),
      () =>
        as(cookie, "PUT", `${BASE}/staff/stf_sam/permissions`, { adminFullAccess: true, permissions: ["staff.view"] }),
      () => as(cookie, "PATCH", `${BASE}/staff/stf_sam`, { email: "sam.new@acme.example" }),
      () => as(cookie, "PATCH", `${BASE}/staff/stf_sam`, { mobilePhone: "+14155550199" }),
      () => as(cookie, "PATCH", `${BASE}/staff/stf_sam`, { status: "inactive" }),
      () => as(cookie, "PUT", `${BASE}/ownership-details`, { cardLast4: "1111" }),
    ];

    it("asks for the password again 10 minutes after sign-in, then allows each sensitive action", async () => {
      clock.advanceSeconds(10 * 60);
      for (const action of sensitive(owner)) {
        const reply = await action();
        expect(reply.statusCode, reply.body).toBe(401);
        expect(reply.json().error.code).toBe("reauthentication_required");
      }
      // Nothing changed, and the session itself is still good for ordinary requests.
      expect((await as(owner, "GET", `${BASE}/staff/stf_sam`)).json()).toMatchObject({
        email: "sam@acme.example",
        status: "active",
      });
      const wrong = await reauthenticate(owner, "not-the-password");
      expect(wrong.statusCode).toBe(422);
      expect(wrong.json().error.code).toBe("current_password_incorrect");
      expect((await reauthenticate(owner, OWNER_PASSWORD)).statusCode).toBe(204);
      for (const action of sensitive(owner).slice(0, 4)) expect((await action()).statusCode).toBe(200);
      expect((await as(owner, "PUT", `${BASE}/ownership-details`, { cardLast4: "1111" })).statusCode).toBe(200);
      // Sudo mode lasts 10 minutes from the re-authentication.
      clock.advanceSeconds(10 * 60);
      const late = await as(owner, "PATCH", `${BASE}/staff/stf_sam`, { status: "inactive" });
      expect(late.json().error.code).toBe("reauthentication_required");
      const events = await as(owner, "GET", `${BASE}/audit-events?action=auth.reauthenticated`);
      expect(events.json().items).toHaveLength(1);
    });

    it("doesn't ask for ordinary edits, or for taking a permission away", async () => {
      clock.advanceSeconds(11 * 60);
      expect((await as(owner, "PATCH", `${BASE}/staff/stf_sam`, { firstName: "Samuel" })).statusCode).toBe(200);
      const removal = await as(owner, "PUT", `${BASE}/staff/stf_sam/permissions`, {
        adminFullAccess: false,
        permissions: [],
      });
      expect(removal.statusCode).toBe(200);
    });

    it("re-authentication is throttled and counted like sign-in, and a locked login can't re-authenticate", async () => {
      clock.advanceSeconds(11 * 60);
      const replies = [];
      for (let i = 0; i < 6; i++) replies.push(await reauthenticate(owner, `guess-${i}-wrong`));
      // Four free failures, the fifth is evaluated, then the person's delay applies.
      expect(replies.map((r) => r.statusCode)).toEqual([422, 422, 422, 422, 422, 429]);
      expect(await failuresOf(t, `staff:${await ownerId(t)}`)).toBe(5);
      clock.advanceSeconds(2);
      await setFailures(t, `staff:${await ownerId(t)}`, 100);
      const locked = await reauthenticate(owner, OWNER_PASSWORD);
      expect(locked.statusCode).toBe(429);
      expect(locked.json().error.details).toEqual({ locked: true });
    });
  });

  describe("own password", () => {
    it("refuses the current password as the new one, on /me/password", async () => {
      const reply = await as(owner, "PUT", `${BASE}/me/password`, {
        currentPassword: OWNER_PASSWORD,
        newPassword: OWNER_PASSWORD,
        newPasswordConfirmation: OWNER_PASSWORD,
      });
      expect(reply.statusCode).toBe(422);
      expect(reply.json().error).toMatchObject({
        code: "password_rejected",
        details: { reasons: ["same_as_current"] },
      });
    });

    it("a session opened before the lock can't have a password evaluated by changing it", async () => {
      await setFailures(t, `staff:${await ownerId(t)}`, 100);
      const hasher = t.runtime.deps.hasher as { verify: (hash: string, password: string) => Promise<unknown> };
      const original = hasher.verify;
      let verified = 0;
      hasher.verify = async (hash, password) => {
        verified++;
        return original(hash, password);
      };
      const reply = await as(owner, "PUT", `${BASE}/me/password`, {
        currentPassword: OWNER_PASSWORD,
        newPassword: "harbour-compass-77",
        newPasswordConfirmation: "harbour-compass-77",
      });
      hasher.verify = original;
      expect(reply.statusCode).toBe(429);
      expect(verified).toBe(0);
      expect((await signIn(t, "admin", "harbour-compass-77")).statusCode).toBe(401);
    });
  });

  describe("own email and mobile", () => {
    let samCookie: string;
    beforeEach(async () => {
      samCookie = sessionCookie(await signIn(t, "sam", SAM_PASSWORD));
    });

    it("a new email one types for oneself takes effect only once its link is opened", async () => {
      const changed = await as(samCookie, "PATCH", `${BASE}/staff/stf_sam`, { email: "thief@evil.example" });
      expect(changed.statusCode).toBe(200);
      expect(changed.json()).toMatchObject({ email: "sam@acme.example", pendingEmail: "thief@evil.example" });
      await deliverMessages(t);
      const toNew = mailbox(t).filter((m) => m.to === "thief@evil.example");
      const toOld = mailbox(t).filter((m) => m.to === "sam@acme.example");
      expect(toNew).toHaveLength(1);
      expect(toOld.map((m) => m.subject)).toEqual([expect.stringContaining("pending")]);

      // Forgot Password still goes to the address in force, never to the pending one.
      await t.request({ method: "POST", url: `${BASE}/password-resets`, payload: { login: "sam" } });
      await deliverMessages(t);
      expect(mailbox(t).filter((m) => m.to === "thief@evil.example")).toHaveLength(1);
      expect(mailbox(t).filter((m) => m.to === "sam@acme.example" && /Reset your/.test(m.subject))).toHaveLength(1);

      const token = linkToken(toNew[0]?.text ?? "", "verify-email");
      const done = await t.request({ method: "POST", url: "/api/email-verifications/complete", payload: { token } });
      expect(done.statusCode).toBe(204);
      expect((await as(owner, "GET", `${BASE}/staff/stf_sam`)).json()).toMatchObject({
        email: "thief@evil.example",
        pendingEmail: null,
        emailVerified: true,
      });
      // Single use.
      const again = await t.request({ method: "POST", url: "/api/email-verifications/complete", payload: { token } });
      expect(again.statusCode).toBe(410);
      expect(again.json().error.code).toBe("verification_link_invalid");
    });

    it("a pending change is audited, and typing the address in force again withdraws it", async () => {
      await as(samCookie, "PATCH", `${BASE}/staff/stf_sam`, { email: "new@acme.example" });
      const audit = (await as(owner, "GET", `${BASE}/audit-events?action=staff.updated`)).json().items;
      expect(audit[0]).toMatchObject({ target: { id: "stf_sam" }, details: { pendingEmail: "new@acme.example" } });
      const withdrawn = await as(samCookie, "PATCH", `${BASE}/staff/stf_sam`, { email: "sam@acme.example" });
      expect(withdrawn.json()).toMatchObject({ email: "sam@acme.example", pendingEmail: null });
      await deliverMessages(t);
      const token = linkToken(mailbox(t).find((m) => m.to === "new@acme.example")?.text ?? "", "verify-email");
      const late = await t.request({ method: "POST", url: "/api/email-verifications/complete", payload: { token } });
      expect(late.statusCode).toBe(410);
    });

    it("a verification link dies after 24 hours and when a newer one is sent", async () => {
      await as(samCookie, "PATCH", `${BASE}/staff/stf_sam`, { email: "first@acme.example" });
      await as(samCookie, "PATCH", `${BASE}/staff/stf_sam`, { email: "second@acme.example" });
      await deliverMessages(t);
      const tokenFor = (to: string) => linkToken(mailbox(t).find((m) => m.to === to)?.text ?? "", "verify-email");
      const first = tokenFor("first@acme.example");
      const second = tokenFor("second@acme.example");
      const complete = (token: string) =>
        t.request({ method: "POST", url: "/api/email-verifications/complete", payload: { token } });
      expect((await complete(first)).statusCode).toBe(410);
      clock.advanceSeconds(24 * 3600);
      expect((await complete(second)).statusCode).toBe(410);
      const fresh = sessionCookie(await signIn(t, "admin", OWNER_PASSWORD));
      expect((await as(fresh, "GET", `${BASE}/staff/stf_sam`)).json()).toMatchObject({
        email: "sam@acme.example",
        pendingEmail: "second@acme.example",
      });
    });

    it("one's own email and mobile need sudo mode too", async () => {
      clock.advanceSeconds(11 * 60);
      const email = await as(samCookie, "PATCH", `${BASE}/staff/stf_sam`, { email: "new@acme.example" });
      const mobile = await as(samCookie, "PATCH", `${BASE}/staff/stf_sam`, { mobilePhone: "+14155550100" });
      for (const reply of [email, mobile]) expect(reply.json().error.code).toBe("reauthentication_required");
    });

    it("a changed mobile number kills the reset links texted to the old one; a permission change kills every link", async () => {
      await t.runtime.deps.db.updateTable("accounts").set({ sms_voice_enabled: 1, sms_credits: 5 }).execute();
      const send = (channel: "sms" | "email") => as(owner, "POST", `${BASE}/staff/stf_sam/password-reset-${channel}`);
      const lookup = (token: string) =>
        t.request({ method: "POST", url: "/api/password-resets/lookup", payload: { token } });

      expect((await send("sms")).statusCode).toBe(202);
      await deliverMessages(t);
      const texted = linkToken(mailbox(t).find((m) => m.channel === "sms")?.text ?? "", "reset-password");
      expect((await lookup(texted)).statusCode).toBe(200);
      await as(samCookie, "PATCH", `${BASE}/staff/stf_sam`, { mobilePhone: "+14155550111" });
      expect((await lookup(texted)).statusCode).toBe(410);

      expect((await send("email")).statusCode).toBe(202);
      await deliverMessages(t);
      const emailed = linkToken(
        mailbox(t)
          .filter((m) => m.channel === "email")
          .at(-1)?.text ?? "",
        "reset-password",
      );
      expect((await lookup(emailed)).statusCode).toBe(200);
      await as(owner, "PUT", `${BASE}/staff/stf_sam/permissions`, { adminFullAccess: false, permissions: [] });
      expect((await lookup(emailed)).statusCode).toBe(410);
    });
  });

  describe("sessions", () => {
    it("signing in from a browser that holds a session ends that session", async () => {
      const second = await t.request({
        method: "POST",
        url: `${BASE}/session`,
        cookie: owner,
        payload: { login: "sam", password: SAM_PASSWORD },
      });
      expect(second.statusCode).toBe(200);
      expect(sessionCookie(second)).not.toBe(owner);
      expect((await as(owner, "GET", `${BASE}/me`)).statusCode).toBe(401);
    });

    it("sign-out asks the browser to clear its cookies and storage", async () => {
      const reply = await as(owner, "DELETE", `${BASE}/session`);
      expect(reply.statusCode).toBe(204);
      expect(reply.headers["clear-site-data"]).toBe('"cookies", "storage"');
    });
  });

  describe("a stranger can't lock the owner out", () => {
    it("the 100th failure locks the login, emails an unlock link and tells the admins, at most once an hour", async () => {
      const subject = `staff:${await ownerId(t)}`;
      await setFailures(t, subject, 99);
      expect((await signIn(t, "admin", "stranger-guess-1")).statusCode).toBe(401);
      expect((await signIn(t, "admin", OWNER_PASSWORD)).statusCode).toBe(401); // locked: refused like any failure
      await deliverMessages(t);
      const lockMail = mailbox(t).filter((m) => /was locked/.test(m.subject));
      expect(lockMail.map((m) => m.to).sort()).toEqual(["olivia@acme.example", "sam@acme.example"]);

      // Guessed to the cap again within the hour: locked again, but no more email.
      const token = linkToken(lockMail.find((m) => m.to === "olivia@acme.example")?.text ?? "", "unlock");
      await setFailures(t, subject, 99);
      clock.advanceSeconds(1800);
      await signIn(t, "admin", "stranger-guess-2");
      await deliverMessages(t);
      expect(mailbox(t).filter((m) => /was locked/.test(m.subject))).toHaveLength(2);

      const opened = await t.request({ method: "POST", url: "/api/login-unlocks/complete", payload: { token } });
      expect(opened.statusCode).toBe(200);
      expect(opened.json()).toEqual({ account: { slug: "acme-swim", name: "Acme Swim" }, username: "admin" });
      expect(await failuresOf(t, subject)).toBe(0);
      expect((await signIn(t, "admin", OWNER_PASSWORD)).statusCode).toBe(200);
      const reused = await t.request({ method: "POST", url: "/api/login-unlocks/complete", payload: { token } });
      expect(reused.statusCode).toBe(410);
      expect(reused.json().error.code).toBe("unlock_link_invalid");
      const audit = await as(owner, "GET", `${BASE}/audit-events?action=auth.login_locked`);
      expect(audit.json().items.length).toBeGreaterThanOrEqual(2);
    });

    it("the owner's Forgot Password notice carries an unlock link while the owner is locked", async () => {
      await setFailures(t, `staff:${await ownerId(t)}`, 100);
      await t.request({ method: "POST", url: `${BASE}/password-resets`, payload: { login: "admin" } });
      await deliverMessages(t);
      const notice = mailbox(t).find((m) => m.to === "olivia@acme.example");
      const token = linkToken(notice?.text ?? "", "unlock");
      expect(
        (await t.request({ method: "POST", url: "/api/login-unlocks/complete", payload: { token } })).statusCode,
      ).toBe(200);
      expect((await signIn(t, "admin", OWNER_PASSWORD)).statusCode).toBe(200);
    });

    it("a browser the owner signed in from stays usable while a stranger locks and throttles the login", async () => {
      const first = await signIn(t, "admin", OWNER_PASSWORD);
      const browser = cookiesOf(first);
      // The stranger: delays, then the hard lock.
      for (let i = 0; i < 8; i++) {
        await signIn(t, "admin", `stranger-${i}`);
        clock.advanceSeconds(600);
      }
      await setFailures(t, `staff:${await ownerId(t)}`, 100);
      expect((await signIn(t, "admin", OWNER_PASSWORD)).statusCode).toBe(401);
      const fromTrusted = await t.request({
        method: "POST",
        url: `${BASE}/session`,
        cookie: browser,
        payload: { login: "admin", password: OWNER_PASSWORD },
      });
      expect(fromTrusted.statusCode).toBe(200);
      // The stranger's lock still holds everywhere else.
      clock.advanceSeconds(3600);
      expect((await signIn(t, "admin", OWNER_PASSWORD)).statusCode).toBe(401);
    });

    it("a trusted browser that guesses wrong 10 times is trusted no more", async () => {
      const browser = cookiesOf(await signIn(t, "admin", OWNER_PASSWORD));
      const fromBrowser = (password: string) =>
        t.request({ method: "POST", url: `${BASE}/session`, cookie: browser, payload: { login: "admin", password } });
      for (let i = 0; i < 10; i++) {
        expect((await fromBrowser(`browser-guess-${i}`)).statusCode).toBe(401);
        clock.advanceSeconds(3600);
      }
      await setFailures(t, `staff:${await ownerId(t)}`, 100);
      expect((await fromBrowser(OWNER_PASSWORD)).statusCode).toBe(401);
    });
  });

  describe("deactivation is a credential change", () => {
    it("a password set while the person is being made inactive never leaves them inactive with a password", async () => {
      for (let i = 0; i < 8; i++) {
        const id = await insertStaffMember(t, accountId, { username: `racer${i}`, password: SAM_PASSWORD });
        const [setReply, offReply] = await Promise.all([
          as(owner, "PUT", `${BASE}/staff/${id}/password`, { password: `fresh-harbour-${i}-77` }),
          as(owner, "PATCH", `${BASE}/staff/${id}`, { status: "inactive" }),
        ]);
        expect(offReply.statusCode).toBe(200);
        expect([200, 409]).toContain(setReply.statusCode);
        const row = await t.runtime.deps.db
          .selectFrom("staff")
          .select(["status", "password_hash"])
          .where("id", "=", id)
          .executeTakeFirstOrThrow();
        expect(row).toEqual({ status: "inactive", password_hash: null });
      }
      const late = await as(owner, "PUT", `${BASE}/staff/stf_racer0/password`, { password: "fresh-harbour-x-77" });
      expect(late.statusCode).toBe(409);
      expect(late.json().error.code).toBe("staff_inactive");
    });
  });

  describe("found by attacking it", () => {
    it("a sign-in whose password is changed while it is checked creates no session", async () => {
      const hasher = t.runtime.deps.hasher as { verify: (hash: string, password: string) => Promise<unknown> };
      const original = hasher.verify;
      hasher.verify = async (hash, password) => {
        const result = await original(hash, password);
        // The victim changes the password while the thief's sign-in is being checked.
        await t.runtime.deps.db
          .updateTable("staff")
          .set({ password_hash: await t.runtime.deps.hasher.hash("victims-new-pass-9") })
          .where("id", "=", "stf_sam")
          .execute();
        return result;
      };
      const reply = await signIn(t, "sam", SAM_PASSWORD);
      hasher.verify = original;
      expect(reply.statusCode).toBe(401);
      expect(reply.cookies.find((c) => c.name === "staffgate_session")).toBeUndefined();
      const sessions = await t.runtime.deps.db
        .selectFrom("sessions")
        .selectAll()
        .where("staff_id", "=", "stf_sam")
        .execute();
      expect(sessions).toEqual([]);
    });

    it("a pending email, its link and the person's trusted browsers die with a password change", async () => {
      const sam = await signIn(t, "sam", SAM_PASSWORD);
      const samCookie = sessionCookie(sam);
      const browser = cookiesOf(sam);
      await as(samCookie, "PATCH", `${BASE}/staff/stf_sam`, { email: "thief@evil.example" });
      await as(owner, "PUT", `${BASE}/staff/stf_sam/password`, { password: "victims-new-pass-9" });
      await deliverMessages(t);
      const token = linkToken(mailbox(t).find((m) => m.to === "thief@evil.example")?.text ?? "", "verify-email");
      const open = await t.request({ method: "POST", url: "/api/email-verifications/complete", payload: { token } });
      expect(open.statusCode).toBe(410);
      expect((await as(owner, "GET", `${BASE}/staff/stf_sam`)).json()).toMatchObject({
        email: "sam@acme.example",
        pendingEmail: null,
      });
      const browsers = await t.runtime.deps.db
        .selectFrom("trusted_browsers")
        .selectAll()
        .where("staff_id", "=", "stf_sam")
        .execute();
      expect(browsers).toEqual([]);
      expect(browser).toContain("staffgate_browser=");
    });

    it("a stranger's guesses at the sign-in page don't hold up a signed-in person's re-authentication", async () => {
      for (let i = 0; i < 8; i++) await signIn(t, "admin", `stranger-${i}`);
      expect((await signIn(t, "admin", OWNER_PASSWORD)).statusCode).toBe(429);
      expect((await reauthenticate(owner, OWNER_PASSWORD)).statusCode).toBe(204);
    });

    it("made-up logins from a throttled IP add one audit row a minute, not one each", async () => {
      for (let i = 0; i < 25; i++) await signIn(t, `made-up-${i}`, "wrong-password");
      for (let i = 0; i < 30; i++) await signIn(t, `${"x".repeat(300)}-${i}`, "wrong-password");
      const rows = await t.runtime.deps.db
        .selectFrom("audit_events")
        .selectAll()
        .where("action", "=", "auth.sign_in_throttled")
        .execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]?.occurrences).toBeGreaterThanOrEqual(30);
    });
  });

  describe("refusals leave a trace", () => {
    it("throttled sign-ins write one row per person per minute, with the count", async () => {
      for (let i = 0; i < 9; i++) await signIn(t, "sam", `guess-${i}`);
      const events = (await as(owner, "GET", `${BASE}/audit-events?action=auth.sign_in_throttled`)).json().items;
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ target: { id: "stf_sam" }, details: { count: 4 } });
      clock.advanceSeconds(61);
      await signIn(t, "sam", "guess-x");
      clock.advanceSeconds(0);
      const later = (await as(owner, "GET", `${BASE}/audit-events?action=auth.sign_in_throttled`)).json().items;
      expect(later.length).toBeLessThanOrEqual(2);
    });

    it("a refused action (403) is audited with what was tried", async () => {
      await insertStaffMember(t, accountId, {
        username: "viewer",
        password: SAM_PASSWORD,
        permissions: ["staff.view"],
      });
      const viewer = sessionCookie(await signIn(t, "viewer", SAM_PASSWORD));
      for (let i = 0; i < 3; i++) {
        expect(
          (await as(viewer, "PUT", `${BASE}/staff/stf_sam/password`, { password: "x-y-z-w-1234" })).statusCode,
        ).toBe(403);
      }
      const events = (await as(owner, "GET", `${BASE}/audit-events?action=access.refused`)).json().items;
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        actor: { id: "stf_viewer" },
        target: { id: "stf_sam" },
        details: { code: "forbidden", count: 3 },
      });
    });
  });
});

describe.each(dialects)("expiry on a node whose clock is off, on %s", (dialect) => {
  it("uses the database's clock: a link that expired is refused by a node 5 minutes slow", async () => {
    const slow = { now: () => Date.now() - 5 * 60_000 };
    const t = await createTestApp(dialect, { machineClock: slow });
    try {
      const { account } = await seedAccount(t);
      const sam = await insertStaffMember(t, account.id, {
        username: "sam",
        password: SAM_PASSWORD,
        email: "s@a.example",
      });
      const ownerCookie = sessionCookie(await signIn(t, "admin", OWNER_PASSWORD));
      expect(
        (await t.request({ method: "POST", url: `${BASE}/staff/${sam}/password-reset-email`, cookie: ownerCookie }))
          .statusCode,
      ).toBe(202);
      await deliverMessages(t);
      const token = linkToken(mailbox(t).at(-1)?.text ?? "", "reset-password");
      // The link expired a minute ago by the database's clock (and by every correct machine's).
      await t.runtime.deps.db
        .updateTable("password_reset_tokens")
        .set({ expires_at: Date.now() - 60_000 })
        .execute();
      const lookup = await t.request({ method: "POST", url: "/api/password-resets/lookup", payload: { token } });
      expect(lookup.statusCode).toBe(410);
      expect(Math.abs(t.runtime.deps.clock.now() - Date.now())).toBeLessThan(2_000);
    } finally {
      await t.close();
    }
  });
});
