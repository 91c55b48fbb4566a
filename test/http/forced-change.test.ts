// The forced change after a one-time password: within 10 minutes of signing in, the session that
// must replace it may leave the one-time password out; after that, and for every other change of
// one's own password, the current password is asked for as before.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/shared/clock.js";
import { dialects } from "../support/dialects.js";
import { SAMPLE_ACCOUNT, createTestApp, seedAccount, sessionCookie, signIn, type TestApp } from "../support/http.js";

const BASE = `/api/accounts/${SAMPLE_ACCOUNT.slug}`;
const NEW_PASSWORD = "morning-laps-5150";

describe.each(dialects)("the forced password change on %s", (dialect) => {
  let t: TestApp;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock();
    t = await createTestApp(dialect, { clock });
  });
  afterEach(async () => t.close());

  const change = (cookie: string, body: Record<string, unknown>) =>
    t.request({ method: "PUT", url: `${BASE}/me/password`, cookie, payload: body });

  /** The owner, signed in with the one-time password `account:create` printed. */
  async function forcedSession() {
    const created = await seedAccount(t, { ownerPassword: undefined });
    const oneTime = created.oneTimePassword as string;
    const login = await signIn(t, "admin", oneTime);
    expect(login.json().passwordChangeRequired).toBe(true);
    return { oneTime, cookie: sessionCookie(login) };
  }

  async function passwordChanges() {
    const rows = await t.runtime.deps.db
      .selectFrom("audit_events")
      .select("details")
      .where("action", "=", "password.changed")
      .execute();
    return rows.map((row) => JSON.parse(row.details) as Record<string, unknown>);
  }

  it("doesn't ask again for the one-time password just typed", async () => {
    const { oneTime, cookie } = await forcedSession();
    clock.advanceSeconds(9 * 60);
    const response = await change(cookie, { newPassword: NEW_PASSWORD, newPasswordConfirmation: NEW_PASSWORD });
    expect(response.statusCode).toBe(204);
    expect((await t.request({ method: "GET", url: `${BASE}/me`, cookie })).statusCode).toBe(401);
    expect((await signIn(t, "admin", oneTime)).statusCode).toBe(401);
    const again = await signIn(t, "admin", NEW_PASSWORD);
    expect(again.json().passwordChangeRequired).toBe(false);
    expect(await passwordChanges()).toEqual([expect.objectContaining({ method: "forced_change" })]);
  });

  it("asks for it once the sign-in is more than 10 minutes old", async () => {
    const { oneTime, cookie } = await forcedSession();
    clock.advanceSeconds(10 * 60 + 1);
    const refused = await change(cookie, { newPassword: NEW_PASSWORD, newPasswordConfirmation: NEW_PASSWORD });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe("current_password_incorrect");
    expect(await passwordChanges()).toEqual([]);
    expect((await signIn(t, "admin", NEW_PASSWORD)).statusCode).toBe(401);

    const given = await change(cookie, {
      currentPassword: oneTime,
      newPassword: NEW_PASSWORD,
      newPasswordConfirmation: NEW_PASSWORD,
    });
    expect(given.statusCode).toBe(204);
  });

  it("still checks a one-time password that is given, and refuses it as the new one", async () => {
    const { oneTime, cookie } = await forcedSession();
    const wrong = await change(cookie, {
      currentPassword: "not-the-one-time-one",
      newPassword: NEW_PASSWORD,
      newPasswordConfirmation: NEW_PASSWORD,
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.code).toBe("current_password_incorrect");

    const same = await change(cookie, { newPassword: oneTime, newPasswordConfirmation: oneTime });
    expect(same.statusCode).toBe(422);
    expect(same.json().error).toMatchObject({ code: "password_rejected", details: { reasons: ["same_as_current"] } });
    expect(await passwordChanges()).toEqual([]);
    expect((await signIn(t, "admin", oneTime)).statusCode).toBe(200);
  });

  it("always asks for the current password when no change is forced, even right after signing in", async () => {
    await seedAccount(t);
    const cookie = sessionCookie(await signIn(t, "admin", SAMPLE_ACCOUNT.ownerPassword as string));
    const response = await change(cookie, { newPassword: NEW_PASSWORD, newPasswordConfirmation: NEW_PASSWORD });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.code).toBe("current_password_incorrect");
    expect(await passwordChanges()).toEqual([]);
    expect((await t.request({ method: "GET", url: `${BASE}/me`, cookie })).statusCode).toBe(200);
    expect((await signIn(t, "admin", NEW_PASSWORD)).statusCode).toBe(401);
  });

  it("needs the session: without one, nothing changes", async () => {
    await forcedSession();
    const response = await t.request({
      method: "PUT",
      url: `${BASE}/me/password`,
      payload: { newPassword: NEW_PASSWORD, newPasswordConfirmation: NEW_PASSWORD },
    });
    expect(response.statusCode).toBe(401);
    expect(await passwordChanges()).toEqual([]);
  });
});
