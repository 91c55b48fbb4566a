// Issue 16, item 6: an expired or used link offers "Send me a new link" for the right business
// without asking for its address. The 410 names the business (`details.account`) only for a token
// Staffgate issued; a token it never issued gets the same code and message and learns nothing.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { issueResetToken, issueStaffToken, type StaffTokenPurpose } from "../../src/modules/reset-tokens/index.js";
import { ManualClock } from "../../src/shared/clock.js";
import { dialects } from "../support/dialects.js";
import { SAMPLE_ACCOUNT, createTestApp, insertStaffMember, seedAccount, type TestApp } from "../support/http.js";

const ACME = { slug: SAMPLE_ACCOUNT.slug, name: SAMPLE_ACCOUNT.name };
const NEW_PASSWORD = "blue-heron-lake-7";
const MADE_UP = "a-token-nobody-ever-issued-0123456789";

describe.each(dialects)("unusable links name their business on %s", (dialect) => {
  let clock: ManualClock;
  let t: TestApp;
  let accountId: string;

  beforeEach(async () => {
    clock = new ManualClock(Date.now());
    t = await createTestApp(dialect, { clock });
    accountId = (await seedAccount(t)).account.id;
    await insertStaffMember(t, accountId, {
      username: "sam",
      password: "front-desk-pass-1",
      email: "sam@acme.example",
    });
  });
  afterEach(async () => t.close());

  const post = (url: string, payload: object) => t.request({ method: "POST", url, payload });
  const resetLink = async () =>
    (
      await issueResetToken(t.runtime.deps.db, t.runtime.deps, {
        accountId,
        staffId: "stf_sam",
        purpose: "forgot_password",
        channel: "email",
        lifetimeSeconds: 30 * 60,
        requestedIp: null,
      })
    ).token;
  const staffLink = async (purpose: StaffTokenPurpose) =>
    (
      await issueStaffToken(t.runtime.deps.db, t.runtime.deps, {
        accountId,
        staffId: "stf_sam",
        purpose,
        lifetimeSeconds: 24 * 3600,
        ...(purpose === "email_verification" ? { email: "sam.rivera@acme.example" } : {}),
      })
    ).token;

  /** The 410's error, after checking the status and code. */
  function refusal(reply: { statusCode: number; json(): unknown }, code: string) {
    expect(reply.statusCode).toBe(410);
    const { error } = reply.json() as { error: { code: string; message: string; details?: unknown } };
    expect(error.code).toBe(code);
    return error;
  }

  it("a used, expired or replaced reset link names the business; a made-up one doesn't", async () => {
    const used = await resetLink();
    const complete = (token: string) =>
      post("/api/password-resets/complete", { token, password: NEW_PASSWORD, passwordConfirmation: NEW_PASSWORD });
    expect((await complete(used)).statusCode).toBe(204);
    const afterUse = refusal(await complete(used), "reset_link_invalid");
    expect(afterUse.details).toEqual({ account: ACME });

    const replaced = await resetLink();
    await resetLink();
    expect(
      refusal(await post("/api/password-resets/lookup", { token: replaced }), "reset_link_invalid").details,
    ).toEqual({ account: ACME });

    const expired = await resetLink();
    clock.advanceSeconds(30 * 60);
    expect(
      refusal(await post("/api/password-resets/lookup", { token: expired }), "reset_link_invalid").details,
    ).toEqual({ account: ACME });
    const check = await post("/api/password-resets/check", { token: expired, password: NEW_PASSWORD });
    expect(refusal(check, "reset_link_invalid").details).toEqual({ account: ACME });

    const unknown = refusal(await post("/api/password-resets/lookup", { token: MADE_UP }), "reset_link_invalid");
    expect(unknown).toEqual({ code: "reset_link_invalid", message: afterUse.message });
  });

  it("a used unlock link names the business; a made-up one doesn't", async () => {
    const token = await staffLink("unlock");
    expect((await post("/api/login-unlocks/complete", { token })).statusCode).toBe(200);
    const again = refusal(await post("/api/login-unlocks/complete", { token }), "unlock_link_invalid");
    expect(again.details).toEqual({ account: ACME });

    const unknown = refusal(await post("/api/login-unlocks/complete", { token: MADE_UP }), "unlock_link_invalid");
    expect(unknown).toEqual({ code: "unlock_link_invalid", message: again.message });
  });

  it("an expired or no-longer-pending verification link names the business; a made-up one doesn't", async () => {
    // Issued for an address that isn't pending (the person typed another one since): unusable.
    const stale = await staffLink("email_verification");
    const notPending = refusal(
      await post("/api/email-verifications/complete", { token: stale }),
      "verification_link_invalid",
    );
    expect(notPending.details).toEqual({ account: ACME });

    const expired = await staffLink("email_verification");
    clock.advanceSeconds(24 * 3600);
    const late = refusal(
      await post("/api/email-verifications/complete", { token: expired }),
      "verification_link_invalid",
    );
    expect(late.details).toEqual({ account: ACME });

    const unknown = refusal(
      await post("/api/email-verifications/complete", { token: MADE_UP }),
      "verification_link_invalid",
    );
    expect(unknown).toEqual({ code: "verification_link_invalid", message: late.message });
  });

  it("a link of another kind with the same token names nothing (the purpose is part of the lookup)", async () => {
    const unlock = await staffLink("unlock");
    const asVerification = refusal(
      await post("/api/email-verifications/complete", { token: unlock }),
      "verification_link_invalid",
    );
    expect(asVerification.details).toBeUndefined();
  });
});
