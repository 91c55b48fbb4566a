import { afterEach, beforeEach, describe, expect, it } from "vitest";
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

const PASSWORD = SAMPLE_ACCOUNT.ownerPassword as string;
const BASE = `/api/accounts/${SAMPLE_ACCOUNT.slug}`;

describe.each(dialects)("password policy over HTTP on %s", (dialect) => {
  let t: TestApp;
  let accountId: string;
  let ownerCookie: string;

  beforeEach(async () => {
    t = await createTestApp(dialect);
    accountId = (await seedAccount(t)).account.id;
    ownerCookie = sessionCookie(await signIn(t, "admin", PASSWORD));
  });
  afterEach(async () => t.close());

  const check = (password: string, cookie = ownerCookie) =>
    t.request({ method: "POST", url: `${BASE}/password-check`, cookie, payload: { password } });

  it("publishes the policy for the sign-in and reset pages", async () => {
    const response = await t.request({ method: "GET", url: `${BASE}/password-policy` });
    expect(response.json()).toEqual({ minLength: 8, maxLength: 256 });
  });

  it("checks a new password live with every reason, in the person's own context", async () => {
    expect((await check("correct horse battery staple")).json()).toEqual({
      ok: true,
      reasons: [],
      policy: { minLength: 8, maxLength: 256 },
    });
    expect((await check("ｐａｓｓｗｏｒｄ１２３")).json().reasons).toEqual(["common_password"]);
    expect((await check("harper")).json().reasons).toEqual(["too_short", "common_password", "contains_personal_info"]);
    expect((await check("Olivia-h")).json().reasons).toEqual(["contains_personal_info"]);
    expect((await check("AcmeSwim2024!")).json().reasons).toEqual(["contains_personal_info"]);
    expect((await check("x".repeat(257))).json().reasons).toEqual(["too_long"]);
    expect((await check("lone-\uD800-surrogate")).json().reasons).toEqual(["invalid_characters"]);
  });

  it("needs a session and is rate-limited", async () => {
    const anonymous = await t.request({ method: "POST", url: `${BASE}/password-check`, payload: { password: "x" } });
    expect(anonymous.statusCode).toBe(401);
    for (let i = 0; i < 60; i++) expect((await check(`candidate-${i}`)).statusCode).toBe(200);
    const limited = await check("one-too-many");
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
  });

  it("lets Admin Access raise the minimum, which every check and change then applies", async () => {
    const patch = await t.request({
      method: "PATCH",
      url: `${BASE}/settings`,
      cookie: ownerCookie,
      payload: { passwordMinLength: 15 },
    });
    expect(patch.statusCode).toBe(200);
    expect(patch.json()).toMatchObject({ passwordMinLength: 15 });
    expect((await t.request({ method: "GET", url: `${BASE}/password-policy` })).json().minLength).toBe(15);
    expect((await check("velvet-harbor")).json()).toMatchObject({ ok: false, reasons: ["too_short"] });

    const change = await t.request({
      method: "PUT",
      url: `${BASE}/me/password`,
      cookie: ownerCookie,
      payload: { currentPassword: PASSWORD, newPassword: "velvet-harbor", newPasswordConfirmation: "velvet-harbor" },
    });
    expect(change.statusCode).toBe(422);
    expect(change.json().error.details.reasons).toEqual(["too_short"]);

    const events = await t.runtime.deps.db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "settings.changed")
      .execute();
    expect(JSON.parse(events[0]?.details ?? "{}")).toEqual({ passwordMinLength: { from: 8, to: 15 } });
  });

  it("keeps the minimum between 8 and 64, and the settings to Admin Access", async () => {
    for (const passwordMinLength of [7, 65, 8.5]) {
      const response = await t.request({
        method: "PATCH",
        url: `${BASE}/settings`,
        cookie: ownerCookie,
        payload: { passwordMinLength },
      });
      expect(response.statusCode, String(passwordMinLength)).toBe(400);
      expect(response.json().error.details.fields).toHaveProperty("passwordMinLength");
    }
    await insertStaffMember(t, accountId, {
      username: "frontdesk",
      password: "front-desk-pass-1",
      permissions: ["staff.edit"],
    });
    const cookie = sessionCookie(await signIn(t, "frontdesk", "front-desk-pass-1"));
    const response = await t.request({
      method: "PATCH",
      url: `${BASE}/settings`,
      cookie,
      payload: { passwordMinLength: 12 },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe("forbidden");
    expect((await t.request({ method: "GET", url: `${BASE}/settings`, cookie })).json().passwordMinLength).toBe(8);
  });

  it("rejects the same passwords on every path that sets one", async () => {
    // Own change and forced change share one endpoint; account creation (CLI) uses the same use case.
    const { createAccount } = await import("../../src/modules/accounts/index.js");
    await expect(
      createAccount(t.runtime.deps, {
        ...SAMPLE_ACCOUNT,
        slug: "second",
        name: "Second Site",
        ownerPassword: "password123",
      }),
    ).rejects.toMatchObject({ code: "password_rejected", details: { reasons: ["common_password"] } });
    const change = await t.request({
      method: "PUT",
      url: `${BASE}/me/password`,
      cookie: ownerCookie,
      payload: { currentPassword: PASSWORD, newPassword: "password123", newPasswordConfirmation: "password123" },
    });
    expect(change.json().error.details.reasons).toEqual(["common_password"]);
  });
});
