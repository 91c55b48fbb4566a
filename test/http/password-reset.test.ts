import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
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

const SLUG = SAMPLE_ACCOUNT.slug;
const STAFF_PASSWORD = "front-desk-pass-1";
const NEW_PASSWORD = "blue-heron-lake-7";

describe.each(dialects)("Forgot Password on %s", (dialect) => {
  let smtp: TestSmtpServer;
  let clock: ManualClock;
  let t: TestApp;
  let accountId: string;

  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => smtp.stop());

  beforeEach(async () => {
    smtp.messages.length = 0;
    smtp.refuseRecipients.clear();
    clock = new ManualClock(Date.now());
    t = await createTestApp(dialect, { clock, env: { SMTP_URL: smtp.url } });
    accountId = (await seedAccount(t)).account.id;
    await insertStaffMember(t, accountId, { username: "sam", password: STAFF_PASSWORD, email: "sam@acme.example" });
  });
  afterEach(async () => t.close());

  const requestReset = (login: string, slug = SLUG) =>
    t.request({ method: "POST", url: `/api/accounts/${slug}/password-resets`, payload: { login } });
  const complete = (token: string, password = NEW_PASSWORD, passwordConfirmation = password) =>
    t.request({
      method: "POST",
      url: "/api/password-resets/complete",
      payload: { token, password, passwordConfirmation },
    });
  const lookup = (token: string) =>
    t.request({ method: "POST", url: "/api/password-resets/lookup", payload: { token } });
  const mailTo = (address: string) => smtp.messages.filter((m) => m.to === address);

  async function linkFor(login: string): Promise<string> {
    expect((await requestReset(login)).statusCode).toBe(202);
    await deliverMessages(t);
    const mail = mailTo("sam@acme.example")
      .filter((m) => m.subject.startsWith("Reset your"))
      .at(-1);
    if (!mail) throw new Error("no reset email arrived");
    return tokenFrom(mail);
  }

  it("emails a link that opens the reset page and sets a new password, signing nobody in", async () => {
    const session = sessionCookie(await signIn(t, "sam", STAFF_PASSWORD));
    const token = await linkFor("SAM@acme.example");
    const mail = mailTo("sam@acme.example")[0];
    expect(mail?.subject).toBe("Reset your Acme Swim Office Portal password");
    expect(mail?.text).toContain("http://localhost:3000/reset-password#token=");
    expect(mail?.html).toContain("Acme Swim");

    const opened = await lookup(token);
    expect(opened.statusCode).toBe(200);
    expect(opened.json()).toMatchObject({
      account: { slug: SLUG, name: "Acme Swim" },
      username: "sam",
      policy: { minLength: 8, maxLength: 256 },
    });
    expect(await lookup(token).then((r) => r.statusCode)).toBe(200); // opening twice changes nothing

    const done = await complete(token);
    expect(done.statusCode).toBe(204);
    expect(done.headers["set-cookie"]).toBeUndefined();
    expect((await t.request({ method: "GET", url: `/api/accounts/${SLUG}/me`, cookie: session })).statusCode).toBe(401);
    expect((await signIn(t, "sam", STAFF_PASSWORD)).statusCode).toBe(401);
    expect((await signIn(t, "sam", NEW_PASSWORD)).statusCode).toBe(200);

    await deliverMessages(t);
    const changed = mailTo("sam@acme.example").find((m) => m.subject.includes("was changed"));
    expect(changed?.text).toContain("With a password reset link.");
    const actions = (await t.runtime.deps.db.selectFrom("audit_events").select("action").execute()).map(
      (e) => e.action,
    );
    expect(actions).toEqual(expect.arrayContaining(["password_reset.requested", "password_reset.completed"]));
    // One use of a link is one event: the reset, carrying the password change's details.
    expect(actions.filter((action) => action === "password_reset.completed")).toHaveLength(1);
    expect(actions).not.toContain("password.changed");
  });

  it("answers byte-identically for a real, unknown, inactive, owner and other-account login", async () => {
    await insertStaffMember(t, accountId, { username: "gone", password: STAFF_PASSWORD, email: "gone@acme.example" });
    await t.runtime.deps.db.updateTable("staff").set({ status: "inactive" }).where("username", "=", "gone").execute();
    const other = await seedAccount(t, { slug: "other-gym", name: "Other Gym", ownerEmail: "o@other.example" });
    await insertStaffMember(t, other.account.id, {
      username: "zed",
      password: STAFF_PASSWORD,
      email: "zed@other.example",
    });

    const replies = [
      await requestReset("sam"),
      await requestReset("nobody-here"),
      await requestReset("gone"),
      await requestReset("admin"),
      await requestReset("zed"),
      await requestReset("sam", "no-such-business"),
    ];
    const shape = (r: (typeof replies)[number]) => {
      const { date: _date, ...headers } = r.headers;
      return { status: r.statusCode, body: r.body, headers };
    };
    for (const reply of replies) expect(shape(reply)).toEqual(shape(replies[0] as (typeof replies)[number]));
    expect(replies[0]?.statusCode).toBe(202);

    await deliverMessages(t);
    expect(mailTo("sam@acme.example")).toHaveLength(1);
    expect(mailTo("gone@acme.example")).toHaveLength(0);
    expect(mailTo("zed@other.example")).toHaveLength(0);
    const ownerMail = mailTo("olivia@acme.example");
    expect(ownerMail).toHaveLength(1);
    expect(ownerMail[0]?.subject).toBe("Password reset for the Acme Swim Business Owner");
    expect(ownerMail[0]?.text).toContain(t.runtime.config.supportContact);
    expect(ownerMail[0]?.text).not.toContain("reset-password#token=");
    const ownerTokens = await t.runtime.deps.db.selectFrom("password_reset_tokens").selectAll().execute();
    expect(ownerTokens.map((row) => row.staff_id)).toEqual(["stf_sam"]);
  });

  it("makes a link single-use and gives one answer for used, expired, superseded and unknown links", async () => {
    const token = await linkFor("sam");
    expect((await complete(token)).statusCode).toBe(204);
    const reused = await complete(token, "another-fine-pass-9");
    expect(reused.statusCode).toBe(410);
    expect(reused.json().error.code).toBe("reset_link_invalid");

    const expiring = await linkFor("sam");
    clock.advanceSeconds(30 * 60);
    expect((await lookup(expiring)).statusCode).toBe(410);
    expect((await complete(expiring)).statusCode).toBe(410);

    clock.advanceSeconds(3600); // past the per-person cap of 3 emails an hour
    const older = await linkFor("sam");
    const newer = await linkFor("sam");
    // One code and message for all; a link that was issued also names its business (for "Send me a new link").
    const superseded = (await lookup(older)).json().error;
    expect(superseded.details).toEqual({ account: { slug: SLUG, name: SAMPLE_ACCOUNT.name } });
    expect((await lookup("made-up-token")).json().error).toEqual({
      code: superseded.code,
      message: superseded.message,
    });
    expect((await complete(older)).statusCode).toBe(410);
    expect((await complete(newer, "newest-pass-word-3")).statusCode).toBe(204);
  });

  it("keeps the link after a rejected password or mismatched confirmation", async () => {
    const token = await linkFor("sam");
    const weak = await complete(token, "password123");
    expect(weak.statusCode).toBe(422);
    expect(weak.json().error).toMatchObject({ code: "password_rejected", details: { reasons: ["common_password"] } });
    expect((await complete(token, NEW_PASSWORD, "something-else-1")).json().error.code).toBe("passwords_do_not_match");
    const check = await t.request({
      method: "POST",
      url: "/api/password-resets/check",
      payload: { token, password: "Sam-Rivera-1" },
    });
    expect(check.json()).toMatchObject({ ok: false, reasons: ["contains_personal_info"] });
    expect((await complete(token)).statusCode).toBe(204);
  });

  it("lets exactly one of 20 parallel completions win", async () => {
    const token = await linkFor("sam");
    const passwords = Array.from({ length: 20 }, (_, i) => `parallel-attempt-${i}-x`);
    const replies = await Promise.all(passwords.map((password) => complete(token, password)));
    const winners = replies.flatMap((reply, i) => (reply.statusCode === 204 ? [passwords[i] as string] : []));
    expect(winners).toHaveLength(1);
    expect(replies.filter((r) => r.statusCode === 410)).toHaveLength(19);
    expect((await signIn(t, "sam", winners[0] as string)).statusCode).toBe(200);
  });

  it("ends outstanding links when the password changes another way", async () => {
    const token = await linkFor("sam");
    const cookie = sessionCookie(await signIn(t, "sam", STAFF_PASSWORD));
    const change = await t.request({
      method: "PUT",
      url: `/api/accounts/${SLUG}/me/password`,
      cookie,
      payload: { currentPassword: STAFF_PASSWORD, newPassword: NEW_PASSWORD, newPasswordConfirmation: NEW_PASSWORD },
    });
    expect(change.statusCode).toBe(204);
    expect((await lookup(token)).statusCode).toBe(410);
  });

  it("clears login throttling for the person who resets", async () => {
    for (let i = 0; i < 6; i++) await signIn(t, "sam", "wrong-password-x");
    expect((await signIn(t, "sam", STAFF_PASSWORD)).statusCode).toBe(429);
    expect((await complete(await linkFor("sam"))).statusCode).toBe(204);
    expect((await signIn(t, "sam", NEW_PASSWORD)).statusCode).toBe(200);
  });

  it("sends at most 3 reset emails an hour to one person, silently", async () => {
    for (let i = 0; i < 5; i++) expect((await requestReset("sam")).statusCode).toBe(202);
    await deliverMessages(t);
    expect(mailTo("sam@acme.example")).toHaveLength(3);
    clock.advanceSeconds(3600);
    await requestReset("sam");
    await deliverMessages(t);
    expect(mailTo("sam@acme.example")).toHaveLength(4);
  });

  it("answers 202 while SMTP is down, and delivers once it is back", async () => {
    await smtp.stop();
    try {
      expect((await requestReset("sam")).statusCode).toBe(202);
      await deliverMessages(t);
      const [failedOnce] = await t.runtime.deps.db.selectFrom("outbox_messages").selectAll().execute();
      expect(failedOnce).toMatchObject({ status: "queued", attempts: 1 });
      expect(failedOnce?.last_error).toBeTruthy();
    } finally {
      await smtp.start();
    }
    clock.advanceSeconds(5);
    await deliverMessages(t);
    expect(mailTo("sam@acme.example")).toHaveLength(1);
    const [sent] = await t.runtime.deps.db.selectFrom("outbox_messages").selectAll().execute();
    expect(sent).toMatchObject({ status: "sent", attempts: 2, text_body: "", html_body: "" });
    await deliverMessages(t);
    expect(mailTo("sam@acme.example")).toHaveLength(1); // never sent twice
  });

  it("gives up on a permanent refusal and records it", async () => {
    smtp.refuseRecipients.add("sam@acme.example");
    await requestReset("sam");
    await deliverMessages(t);
    const [message] = await t.runtime.deps.db.selectFrom("outbox_messages").selectAll().execute();
    expect(message).toMatchObject({ status: "failed", attempts: 1, text_body: "" });
    expect(message?.last_error).toContain("550");
    const failures = await t.runtime.deps.db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "message.delivery_failed")
      .execute();
    expect(failures).toHaveLength(1);
  });

  it("rejects unknown fields and an empty login", async () => {
    expect((await requestReset("")).statusCode).toBe(400);
    const extra = await t.request({
      method: "POST",
      url: `/api/accounts/${SLUG}/password-resets`,
      payload: { login: "sam", email: "attacker@evil.example" },
    });
    expect(extra.statusCode).toBe(400);
  });
});
