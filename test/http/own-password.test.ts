import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dialects } from "../support/dialects.js";
import { SAMPLE_ACCOUNT, createTestApp, seedAccount, sessionCookie, signIn, type TestApp } from "../support/http.js";

const PASSWORD = SAMPLE_ACCOUNT.ownerPassword as string;
const BASE = `/api/accounts/${SAMPLE_ACCOUNT.slug}`;

describe.each(dialects)("changing one's own password on %s", (dialect) => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp(dialect);
  });
  afterEach(async () => t.close());

  const change = (cookie: string, body: Record<string, unknown>) =>
    t.request({ method: "PUT", url: `${BASE}/me/password`, cookie, payload: body });

  it("signs the person out everywhere and lets them back in with the new password only", async () => {
    await seedAccount(t);
    const here = sessionCookie(await signIn(t, "admin", PASSWORD));
    const elsewhere = sessionCookie(await signIn(t, "admin", PASSWORD));
    const response = await change(here, {
      currentPassword: PASSWORD,
      newPassword: "harbour-compass-77",
      newPasswordConfirmation: "harbour-compass-77",
    });
    expect(response.statusCode).toBe(204);
    for (const cookie of [here, elsewhere]) {
      expect((await t.request({ method: "GET", url: `${BASE}/me`, cookie })).statusCode).toBe(401);
    }
    expect((await signIn(t, "admin", PASSWORD)).statusCode).toBe(401);
    expect((await signIn(t, "admin", "harbour-compass-77")).statusCode).toBe(200);
    const events = await t.runtime.deps.db.selectFrom("audit_events").selectAll().execute();
    const changed = events.find((e) => e.action === "password.changed");
    expect(JSON.parse(changed?.details ?? "{}")).toMatchObject({ method: "self", sessionsEnded: 2 });
  });

  it("refuses a wrong current password, a mismatched confirmation and a policy failure, changing nothing", async () => {
    await seedAccount(t);
    const cookie = sessionCookie(await signIn(t, "admin", PASSWORD));
    const cases = [
      {
        body: {
          currentPassword: "nope-nope-nope",
          newPassword: "harbour-compass-77",
          newPasswordConfirmation: "harbour-compass-77",
        },
        code: "current_password_incorrect",
      },
      {
        body: {
          currentPassword: PASSWORD,
          newPassword: "harbour-compass-77",
          newPasswordConfirmation: "harbour-compass-78",
        },
        code: "passwords_do_not_match",
      },
      {
        body: { currentPassword: PASSWORD, newPassword: "zq-9x", newPasswordConfirmation: "zq-9x" },
        code: "password_rejected",
        reasons: ["too_short"],
      },
      {
        body: { currentPassword: PASSWORD, newPassword: "AcmeSwim2024!", newPasswordConfirmation: "AcmeSwim2024!" },
        code: "password_rejected",
        reasons: ["contains_personal_info"],
      },
    ];
    for (const { body, code, reasons } of cases) {
      const response = await change(cookie, body);
      expect(response.statusCode, code).toBe(422);
      expect(response.json().error.code).toBe(code);
      if (reasons) expect(response.json().error.details.reasons).toEqual(reasons);
    }
    expect((await t.request({ method: "GET", url: `${BASE}/me`, cookie })).statusCode).toBe(200);
    expect((await signIn(t, "admin", PASSWORD)).statusCode).toBe(200);
  });

  it("holds a person with a one-time password to changing it before anything else", async () => {
    const created = await seedAccount(t, { ownerPassword: undefined });
    const oneTime = created.oneTimePassword as string;
    expect(oneTime).toMatch(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/);

    const login = await signIn(t, "admin", oneTime);
    expect(login.statusCode).toBe(200);
    expect(login.json().passwordChangeRequired).toBe(true);
    const cookie = sessionCookie(login);

    const settings = await t.request({ method: "GET", url: `${BASE}/settings`, cookie });
    expect(settings.statusCode).toBe(403);
    expect(settings.json().error.code).toBe("password_change_required");
    const me = await t.request({ method: "GET", url: `${BASE}/me`, cookie });
    expect(me.statusCode).toBe(403);
    expect(me.json().error.code).toBe("password_change_required");

    const changed = await change(cookie, {
      currentPassword: oneTime,
      newPassword: "morning-laps-5150",
      newPasswordConfirmation: "morning-laps-5150",
    });
    expect(changed.statusCode).toBe(204);
    const again = await signIn(t, "admin", "morning-laps-5150");
    expect(again.json().passwordChangeRequired).toBe(false);
    const settingsAfter = await t.request({ method: "GET", url: `${BASE}/settings`, cookie: sessionCookie(again) });
    expect(settingsAfter.statusCode).toBe(200);
    expect(settingsAfter.json()).toMatchObject({
      name: "Acme Swim",
      smsVoiceEnabled: false,
      smsCredits: 0,
      passwordMinLength: 8,
      country: "US",
      smsAllowedCountries: ["US"],
      requireTwoFactor: false,
    });
  });

  it("needs a session", async () => {
    await seedAccount(t);
    const response = await t.request({
      method: "PUT",
      url: `${BASE}/me/password`,
      payload: {
        currentPassword: PASSWORD,
        newPassword: "harbour-compass-77",
        newPasswordConfirmation: "harbour-compass-77",
      },
    });
    expect(response.statusCode).toBe(401);
  });
});
