/**
 * "Why you're signed out": when a change ends a person's sessions, a browser still holding one
 * of them gets `401 unauthenticated` with `details.reason`, so the sign-in page can say why. The
 * note is keyed on the session id's hash, good only in its own business, and gone once the session
 * would have ended anyway (or after 30 days). Other 401s carry no reason.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
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

const BASE = `/api/accounts/${SAMPLE_ACCOUNT.slug}`;
const OWNER_PASSWORD = SAMPLE_ACCOUNT.ownerPassword as string;
const SAM_PASSWORD = "front-desk-pass-1";

describe.each(dialects)("why a session ended, on %s", (dialect) => {
  let clock: ManualClock;
  let t: TestApp;
  let accountId: string;
  let owner: string;

  const me = (cookie: string, base = BASE) => t.request({ method: "GET", url: `${base}/me`, cookie });
  const samSession = async (staySignedIn = false) =>
    sessionCookie(await signIn(t, "sam", SAM_PASSWORD, SAMPLE_ACCOUNT.slug, staySignedIn));
  const expectReason = async (cookie: string, reason: string | undefined) => {
    const reply = await me(cookie);
    expect(reply.statusCode).toBe(401);
    expect(reply.json().error.code).toBe("unauthenticated");
    expect(reply.json().error.details?.reason).toBe(reason);
  };

  beforeEach(async () => {
    clock = new ManualClock(Date.now());
    t = await createTestApp(dialect, { clock });
    accountId = (await seedAccount(t)).account.id;
    await insertStaffMember(t, accountId, { username: "sam", password: SAM_PASSWORD, email: "sam@acme.example" });
    owner = sessionCookie(await signIn(t, "admin", OWNER_PASSWORD));
  });
  afterEach(async () => t.close());

  it("says the password was changed to every other browser of a person who changed their own", async () => {
    const laptop = await samSession();
    const phone = await samSession(true);
    const changed = await t.request({
      method: "PUT",
      url: `${BASE}/me/password`,
      cookie: laptop,
      payload: {
        currentPassword: SAM_PASSWORD,
        newPassword: "quiet-river-stone-8",
        newPasswordConfirmation: "quiet-river-stone-8",
      },
    });
    expect(changed.statusCode).toBe(204);
    await expectReason(phone, "password_changed");
    await expectReason(laptop, "password_changed");
  });

  it("says the password was reset, by an admin or with a reset link", async () => {
    const byAdmin = await samSession();
    const reset = await t.request({
      method: "PUT",
      url: `${BASE}/staff/stf_sam/password`,
      cookie: owner,
      payload: { password: "amber-window-field-3" },
    });
    expect(reset.statusCode).toBe(200);
    await expectReason(byAdmin, "password_reset");

    const beforeLink = sessionCookie(await signIn(t, "sam", "amber-window-field-3"));
    const sent = await t.request({ method: "POST", url: `${BASE}/staff/stf_sam/password-reset-email`, cookie: owner });
    expect(sent.statusCode).toBe(202);
    await deliverMessages(t);
    const mail = t.runtime.deps.devMailbox?.list().find((entry) => entry.text.includes("reset-password#token="));
    const token = /#token=([\w-]+)/.exec(mail?.text ?? "")?.[1];
    expect(token).toBeTruthy();
    const done = await t.request({
      method: "POST",
      url: "/api/password-resets/complete",
      payload: { token, password: "copper-lantern-77", passwordConfirmation: "copper-lantern-77" },
    });
    expect(done.statusCode).toBe(204);
    await expectReason(beforeLink, "password_reset");
  });

  it("says so when the person was made inactive, or their permissions or two-step sign-in changed", async () => {
    const permissions = await samSession();
    const granted = await t.request({
      method: "PUT",
      url: `${BASE}/staff/stf_sam/permissions`,
      cookie: owner,
      payload: { adminFullAccess: false, permissions: ["staff.view"] },
    });
    expect(granted.statusCode).toBe(200);
    await expectReason(permissions, "permissions_changed");

    const twoFactor = await samSession();
    const removed = await t.request({ method: "DELETE", url: `${BASE}/staff/stf_sam/two-factor`, cookie: owner });
    expect(removed.statusCode).toBe(204);
    await expectReason(twoFactor, "two_factor_reset");

    const inactive = await samSession();
    const made = await t.request({
      method: "PATCH",
      url: `${BASE}/staff/stf_sam`,
      cookie: owner,
      payload: { status: "inactive" },
    });
    expect(made.statusCode).toBe(200);
    await expectReason(inactive, "made_inactive");
  });

  it("gives no reason for a sign-out, a made-up cookie, another business's paths, or a session that would have ended anyway", async () => {
    const signedOut = await samSession();
    await t.request({ method: "DELETE", url: `${BASE}/session`, cookie: signedOut });
    await expectReason(signedOut, undefined);
    await expectReason("staffgate_session=made-up-token-of-a-guesser", undefined);

    await seedAccount(t, { slug: "other-gym", name: "Other Gym", ownerEmail: "owner@other.example" });
    const ended = await samSession();
    await t.request({ method: "PATCH", url: `${BASE}/staff/stf_sam`, cookie: owner, payload: { status: "inactive" } });
    const elsewhere = await me(ended, "/api/accounts/other-gym");
    expect(elsewhere.statusCode).toBe(401);
    expect(elsewhere.json().error.details).toBeUndefined();
    await expectReason(ended, "made_inactive");

    // An ordinary session would have idled out after an hour: past that, no reason is given.
    clock.advanceSeconds(3601);
    await expectReason(ended, undefined);
  });

  it("keeps a note no longer than the session would have lasted, and the retention job removes it", async () => {
    const stay = await samSession(true);
    await t.request({ method: "PATCH", url: `${BASE}/staff/stf_sam`, cookie: owner, payload: { status: "inactive" } });
    const notes = await t.runtime.deps.db.selectFrom("ended_sessions").selectAll().execute();
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ reason: "made_inactive", staff_id: "stf_sam" });
    // Only the hash of the session id is kept, like the session itself.
    expect(JSON.stringify(notes)).not.toContain(stay.split("=")[1] as string);
    clock.advanceSeconds(7 * 24 * 3600);
    await expectReason(stay, "made_inactive");
    expect((await t.runtime.retention.runOnce()).ended_sessions).toBe(0);
    clock.advanceSeconds(24 * 24 * 3600);
    await expectReason(stay, undefined);
    expect((await t.runtime.retention.runOnce()).ended_sessions).toBe(1);
    expect(await t.runtime.deps.db.selectFrom("ended_sessions").selectAll().execute()).toEqual([]);
  });

  it("never slows a live session: signed-in requests keep working beside the notes", async () => {
    const other = await samSession();
    await t.request({ method: "PATCH", url: `${BASE}/staff/stf_sam`, cookie: owner, payload: { status: "inactive" } });
    await expectReason(other, "made_inactive");
    const live = await me(owner);
    expect(live.statusCode).toBe(200);
    expect(live.json().username).toBe("admin");
  });
});
