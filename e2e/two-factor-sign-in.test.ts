import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { ACME_SLUG, addStaffMember, createAcmeAccount } from "./support/acme.js";
import { expectAccessible } from "./support/axe.js";
import { browserAvailable, useBrowserSuite, type RunningServer } from "./support/browser.js";
import { isFocused, signInThroughUi, submitLogin } from "./support/portal.js";
import { screenshot } from "./support/screenshots.js";
import {
  authenticatorApp,
  enrolThroughApi,
  qrCodeLoaded,
  readRecoveryCodes,
  readSetupKey,
} from "./support/two-factor.js";

const PASSWORD = "lane-rope-harbour-42";
const CODE_WRONG = "That code didn't work. Check the code your app shows now (it changes every 30 seconds).";

/**
 * Chromium logs the expected 401 (wrong code, pending sign-in over), 403 (a password to change
 * first) and 429 answers as failed resources.
 */
const unexpected = (problems: string[]) => problems.filter((p) => !/status of 4(01|03|29)/.test(p));

async function requireTwoFactor(server: RunningServer, on: boolean): Promise<void> {
  await server.runtime.deps.db
    .updateTable("accounts")
    .set({ require_two_factor: on ? 1 : 0 })
    .execute();
}

async function auditDetails(server: RunningServer, action: string, staffId: string) {
  const rows = await server.runtime.deps.db
    .selectFrom("audit_events")
    .select("details")
    .where("action", "=", action)
    .where("target_id", "=", staffId)
    .execute();
  return rows.map((row) => JSON.parse(row.details) as Record<string, unknown>);
}

async function latestSessionMethods(server: RunningServer, staffId: string): Promise<string> {
  const session = await server.runtime.deps.db
    .selectFrom("sessions")
    .select("amr")
    .where("staff_id", "=", staffId)
    .orderBy("created_at", "desc")
    .executeTakeFirstOrThrow();
  return session.amr;
}

/** The two-step form after the password: heading, and the code field with focus. */
async function expectCodeStep(page: Page) {
  await page.getByRole("heading", { name: "Two-step sign-in", level: 1 }).waitFor();
  const field = page.getByLabel("6-digit code", { exact: true });
  await expect.poll(() => isFocused(field)).toBe(true);
  return field;
}

describe.skipIf(!browserAvailable)("two-step sign-in at the sign-in page, in the browser", () => {
  let accountId = "";
  const suite = useBrowserSuite({
    setUp: async ({ server }) => {
      accountId = (await createAcmeAccount(server)).account.id;
      for (const [username, firstName, lastName] of [
        ["sam", "Sam", "Rivera"],
        ["jo", "Jo", "Park"],
        ["kim", "Kim", "Lopez"],
        ["max", "Max", "Okafor"],
      ] as const) {
        await addStaffMember(server, accountId, {
          username,
          firstName,
          lastName,
          email: `${username}@acme.example`,
          password: PASSWORD,
        });
      }
    },
  });

  it(
    "the business requires it: Sam sets up an authenticator app during sign-in, saves 10 recovery codes, and reaches the portal",
    { timeout: 90_000 },
    async () => {
      await requireTwoFactor(suite.server, true);
      try {
        const { page, problems } = await suite.newPage();
        await signInThroughUi(page, suite.server.url, ACME_SLUG, "sam", PASSWORD);

        await page.getByRole("heading", { name: "Set up two-step sign-in", level: 1 }).waitFor();
        await page.getByText(/^Your business requires a second step when you sign in/).waitFor();
        // Nothing signed in yet: the pending sign-in is good for nothing but this.
        expect((await page.request.get(`${suite.server.url}/api/accounts/${ACME_SLUG}/me`)).status()).toBe(401);

        // The QR code is an image the CSP lets load, and the key is shown to type by hand.
        expect(await page.getByRole("img", { name: /^QR code/ }).getAttribute("src")).toMatch(
          /^data:image\/svg\+xml;utf8,%3Csvg/,
        );
        await expect.poll(() => qrCodeLoaded(page)).toBe(true);
        const app = authenticatorApp(await readSetupKey(page));
        await screenshot(page, "two-factor-enrol-at-sign-in");
        await expectAccessible(page, "the setup at sign-in");

        const code = page.getByLabel("6-digit code", { exact: true });
        expect(await code.getAttribute("inputmode")).toBe("numeric");
        expect(await code.getAttribute("autocomplete")).toBe("one-time-code");

        // A wrong code is said at once and the field is cleared for the next try.
        await code.fill(app.wrongCode());
        await page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
        await page.getByText(CODE_WRONG).waitFor();
        expect(await code.inputValue()).toBe("");
        await expectAccessible(page, "the setup with a wrong code");

        // The app's code, typed as the app groups it: the app is on and the session has started.
        const right = await app.code();
        await code.fill(`${right.slice(0, 3)} ${right.slice(3)}`);
        await page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
        await page.getByRole("heading", { name: "Save your recovery codes", level: 1 }).waitFor();
        const codes = await readRecoveryCodes(page);
        expect(codes).toHaveLength(10);
        expect(new Set(codes).size).toBe(10);
        for (const recoveryCode of codes) expect(recoveryCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
        await screenshot(page, "two-factor-recovery-codes");
        await expectAccessible(page, "the recovery codes at sign-in");

        // The download is a text file of the same codes.
        const [download] = await Promise.all([
          page.waitForEvent("download"),
          page.getByRole("link", { name: "Download" }).click(),
        ]);
        expect(download.suggestedFilename()).toBe("recovery-codes-sam.txt");
        const file = await readFile(await download.path(), "utf8");
        for (const recoveryCode of codes) expect(file).toContain(recoveryCode);

        // Not without saying they're saved; then on to the portal.
        const proceed = page.getByRole("button", { name: "Continue to the Office Portal" });
        await proceed.click();
        await page.getByText("Tick “I've saved my recovery codes” first: they won't be shown again.").waitFor();
        await expectAccessible(page, "the recovery codes, not ticked");
        await page.getByLabel("I've saved my recovery codes").check();
        await proceed.click();
        await page.getByText("Signed in as Sam Rivera").waitFor();
        const section = page.getByRole("region", { name: "Two-step sign-in" });
        await section.getByText("10 recovery codes left").waitFor();
        await section.getByText(/^On\./).waitFor();
        await expectAccessible(page, "the home page, two-step sign-in on");

        expect(await latestSessionMethods(suite.server, "stf_sam")).toBe("pwd,otp");
        expect(await auditDetails(suite.server, "two_factor.totp_enrolled", "stf_sam")).toHaveLength(1);
        expect(unexpected(problems)).toEqual([]);
      } finally {
        await requireTwoFactor(suite.server, false);
      }
    },
  );

  it(
    "Jo signs in with a code from the app; a wrong one is refused; a temporary password is replaced next",
    { timeout: 90_000 },
    async () => {
      const { app } = await enrolThroughApi(suite.server, ACME_SLUG, "jo", PASSWORD);
      await suite.server.runtime.deps.db
        .updateTable("staff")
        .set({ must_change_password: 1 })
        .where("id", "=", "stf_jo")
        .execute();

      const { page, problems } = await suite.newPage();
      await signInThroughUi(page, suite.server.url, ACME_SLUG, "jo", PASSWORD);
      const code = await expectCodeStep(page);
      expect(await code.getAttribute("inputmode")).toBe("numeric");
      expect(await code.getAttribute("autocomplete")).toBe("one-time-code");
      await screenshot(page, "two-factor-code-step");
      await expectAccessible(page, "the code step");

      await code.fill(app.wrongCode());
      await page.getByRole("button", { name: "Continue" }).click();
      await page.getByText(CODE_WRONG).waitFor();
      expect(await code.inputValue()).toBe("");
      await expect.poll(() => isFocused(code)).toBe(true);
      await expectAccessible(page, "the code step with a wrong code");

      await code.fill(await app.code());
      await page.keyboard.press("Enter");
      // As after any sign-in with a temporary password: choose a new one before anything else.
      await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/a/${ACME_SLUG}/change-password`);
      await expectAccessible(page, "the forced change after the code step");
      expect(await latestSessionMethods(suite.server, "stf_jo")).toBe("pwd,otp");
      expect(await auditDetails(suite.server, "two_factor.failed", "stf_jo")).toEqual([{ method: "otp" }]);
      expect(unexpected(problems)).toEqual([]);
    },
  );

  it(
    "Kim signs in with a recovery code, which then shows 9 left and never works again",
    { timeout: 90_000 },
    async () => {
      const { recoveryCodes } = await enrolThroughApi(suite.server, ACME_SLUG, "kim", PASSWORD);
      const [used, other] = recoveryCodes as [string, string];

      const { page, problems } = await suite.newPage();
      await signInThroughUi(page, suite.server.url, ACME_SLUG, "kim", PASSWORD);
      await expectCodeStep(page);
      await page.getByRole("button", { name: "Use a recovery code instead" }).click();
      const field = page.getByLabel("Recovery code", { exact: true });
      await expect.poll(() => isFocused(field)).toBe(true);
      await screenshot(page, "two-factor-recovery-code-step");
      await expectAccessible(page, "the recovery-code step");

      // Typed in lower case: read the same.
      await field.fill(used.toLowerCase());
      await page.getByRole("button", { name: "Continue" }).click();
      await page.getByText("Signed in as Kim Lopez").waitFor();
      await page.getByRole("region", { name: "Two-step sign-in" }).getByText("9 recovery codes left").waitFor();
      await expectAccessible(page, "the home page after a recovery code");
      expect(await auditDetails(suite.server, "two_factor.recovery_code_used", "stf_kim")).toEqual([
        { recoveryCodesLeft: 9 },
      ]);

      // Signed out and in again, the same code is refused; another one works.
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByText("You have been signed out.").waitFor();
      await submitLogin(page, "kim", PASSWORD);
      await expectCodeStep(page);
      await page.getByRole("button", { name: "Use a recovery code instead" }).click();
      await field.fill(used);
      await page.getByRole("button", { name: "Continue" }).click();
      await page
        .getByText("That recovery code didn't work. Check it, or try another one: each code works only once.")
        .waitFor();
      await expectAccessible(page, "the recovery-code step with a used code");
      await field.fill(other);
      await page.getByRole("button", { name: "Continue" }).click();
      await page.getByRole("region", { name: "Two-step sign-in" }).getByText("8 recovery codes left").waitFor();
      expect(unexpected(problems)).toEqual([]);
    },
  );

  it(
    "Max's wrong codes are slowed down with a wait, and a sign-in left for over 5 minutes starts again",
    { timeout: 90_000 },
    async () => {
      const { app } = await enrolThroughApi(suite.server, ACME_SLUG, "max", PASSWORD);
      const { page, problems } = await suite.newPage();
      await signInThroughUi(page, suite.server.url, ACME_SLUG, "max", PASSWORD);
      const code = await expectCodeStep(page);

      for (let attempt = 0; attempt < 5; attempt++) {
        await code.fill(app.wrongCode());
        await page.getByRole("button", { name: "Continue" }).click();
        await page.getByText(CODE_WRONG).waitFor();
      }
      await code.fill(app.wrongCode());
      await page.getByRole("button", { name: "Continue" }).click();
      await page
        .getByRole("alert")
        .filter({ hasText: /^Too many attempts\. Please wait \d+ seconds?/ })
        .waitFor();
      await screenshot(page, "two-factor-throttled");
      await expectAccessible(page, "the code step, throttled");

      // The pending sign-in runs out: the code step sends Max back to the password, saying why.
      await suite.server.runtime.deps.db
        .updateTable("pending_sign_ins")
        .set({ expires_at: Date.now() - 1000 })
        .where("staff_id", "=", "stf_max")
        .execute();
      await code.fill(await app.code());
      await page.getByRole("button", { name: "Continue" }).click();
      await page
        .getByText(
          "Your sign-in took longer than 5 minutes, so it was stopped for your security. Please sign in again.",
        )
        .waitFor();
      await page.getByRole("heading", { name: "Acme Swim", level: 1 }).waitFor();
      await expectAccessible(page, "the sign-in page after the pending sign-in ran out");
      await submitLogin(page, "max", PASSWORD);
      await expectCodeStep(page);
      expect(unexpected(problems)).toEqual([]);
    },
  );
});
