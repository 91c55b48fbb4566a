import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { ACME_SLUG, OWNER_PASSWORD, addStaffMember, createAcmeAccount, signInAsOwner } from "./support/acme.js";
import { ageSessions, apiClient } from "./support/api.js";
import { expectAccessible } from "./support/axe.js";
import { browserAvailable, useBrowserSuite, type RunningServer } from "./support/browser.js";
import { waitForMail } from "./support/mailbox.js";
import { isFocused, signInThroughUi } from "./support/portal.js";
import { screenshot } from "./support/screenshots.js";
import { authenticatorApp, qrCodeLoaded, readRecoveryCodes, readSetupKey } from "./support/two-factor.js";

const LEE_PASSWORD = "buoy-lighthouse-63";
const PAT_PASSWORD = "flip-turn-meadow-25";

/** Chromium logs the expected 401 (confirm it's you, a wrong code) and 409 (the last factor) answers as failed resources. */
const unexpected = (problems: string[]) => problems.filter((p) => !/status of 4(01|09)/.test(p));

async function requireTwoFactor(server: RunningServer, on: boolean): Promise<void> {
  await server.runtime.deps.db
    .updateTable("accounts")
    .set({ require_two_factor: on ? 1 : 0 })
    .execute();
}

/** "Confirm it's you", answered with the password. */
async function confirmWithPassword(page: Page, password: string): Promise<void> {
  const confirm = page.getByRole("dialog", { name: "Confirm it's you" });
  await confirm.waitFor();
  await confirm.getByLabel("Your password", { exact: true }).fill(password);
  await confirm.getByRole("button", { name: "Confirm" }).click();
  await confirm.waitFor({ state: "detached" });
}

describe.skipIf(!browserAvailable)("managing two-step sign-in when signed in, in the browser", () => {
  const suite = useBrowserSuite({
    setUp: async ({ server }) => {
      const { account } = await createAcmeAccount(server);
      await addStaffMember(server, account.id, {
        username: "lee",
        firstName: "Lee",
        lastName: "Chen",
        email: "lee@acme.example",
        password: LEE_PASSWORD,
      });
      await addStaffMember(server, account.id, {
        username: "pat",
        firstName: "Pat",
        lastName: "Doyle",
        email: "pat@acme.example",
        password: PAT_PASSWORD,
      });
    },
  });

  it(
    "Lee opts in on the home page and makes new recovery codes with a code; the owner resets it on the STAFF page, and Lee signs in with the password alone",
    { timeout: 120_000 },
    async () => {
      // Lee, signed in with a password, turns two-step sign-in on from the home page.
      const lee = await suite.newPage();
      await signInThroughUi(lee.page, suite.server.url, ACME_SLUG, "lee", LEE_PASSWORD);
      await lee.page.getByText("Signed in as Lee Chen").waitFor();
      const section = lee.page.getByRole("region", { name: "Two-step sign-in" });
      await section.getByText(/^Off\. Your password alone signs you in/).waitFor();
      await expectAccessible(lee.page, "the home page, two-step sign-in off");
      await section.getByRole("button", { name: "Set up an authenticator app" }).click();
      const app = authenticatorApp(await readSetupKey(lee.page));
      await expect.poll(() => qrCodeLoaded(lee.page)).toBe(true);
      await screenshot(lee.page, "two-factor-opt-in");
      await expectAccessible(lee.page, "the authenticator app setup");
      await section.getByLabel("6-digit code", { exact: true }).fill(await app.code());
      await section.getByRole("button", { name: "Turn on two-step sign-in" }).click();
      await section.getByRole("heading", { name: "Save your recovery codes" }).waitFor();
      const firstCodes = await readRecoveryCodes(lee.page);
      expect(firstCodes).toHaveLength(10);
      await expectAccessible(lee.page, "the recovery codes");
      await section.getByLabel("I've saved my recovery codes").check();
      await section.getByRole("button", { name: "Done" }).click();
      await section.getByText(/^Two-step sign-in is on\./).waitFor();
      await section.getByText("10 recovery codes left").waitFor();
      await expectAccessible(lee.page, "the home page, two-step sign-in on");

      // Eleven minutes on, new recovery codes need "Confirm it's you", answered with a code from the app.
      await ageSessions(suite.server, 11);
      await section.getByRole("button", { name: "Make new recovery codes" }).click();
      await lee.page.getByRole("alertdialog", { name: "Make new recovery codes?" }).waitFor();
      await expectAccessible(lee.page, "the new-codes question");
      await lee.page.getByRole("button", { name: "Make new codes" }).click();
      const confirm = lee.page.getByRole("dialog", { name: "Confirm it's you" });
      await confirm.waitFor();
      await confirm.getByRole("button", { name: "Use a code from your authenticator app instead" }).click();
      const code = confirm.getByLabel("6-digit code", { exact: true });
      await expect.poll(() => isFocused(code)).toBe(true);
      await screenshot(lee.page, "two-factor-sudo-code");
      await expectAccessible(lee.page, "the prompt asking for a code");
      await code.fill(app.wrongCode());
      await confirm.getByRole("button", { name: "Confirm" }).click();
      await confirm.getByText(/^That code didn't work/).waitFor();
      await expectAccessible(lee.page, "the prompt with a wrong code");
      await code.fill(await app.code());
      await confirm.getByRole("button", { name: "Confirm" }).click();
      await confirm.waitFor({ state: "detached" });
      const newCodes = await readRecoveryCodes(lee.page);
      expect(newCodes).toHaveLength(10);
      expect(newCodes.filter((c) => firstCodes.includes(c))).toEqual([]);
      await section.getByLabel("I've saved my recovery codes").check();
      await section.getByRole("button", { name: "Done" }).click();
      await section.getByText("Your new recovery codes are ready to use. The old ones no longer work.").waitFor();
      await expectAccessible(lee.page, "the home page with new codes");

      // An old code no longer signs Lee in.
      const asLee = apiClient(suite.server, ACME_SLUG);
      expect((await asLee("POST", "/session", { login: "lee", password: LEE_PASSWORD })).body).toMatchObject({
        secondFactorRequired: true,
      });
      const oldCode = await asLee("POST", "/session/second-factor", { recoveryCode: firstCodes[0] });
      expect(oldCode.status).toBe(401);

      // While the business requires two-step sign-in, the only second step can't be removed: said in words.
      await requireTwoFactor(suite.server, true);
      try {
        await section.getByRole("button", { name: "Remove authenticator app" }).click();
        await lee.page.getByRole("alertdialog", { name: "Remove your authenticator app?" }).waitFor();
        await expectAccessible(lee.page, "the remove-app question");
        await lee.page.getByRole("button", { name: "Remove app" }).click();
        await section
          .getByRole("alert")
          .filter({ hasText: /^Your business requires two-step sign-in, and this app is your only second step/ })
          .waitFor();
        await expectAccessible(lee.page, "the refused removal of the last factor");
      } finally {
        await requireTwoFactor(suite.server, false);
      }
      expect(unexpected(lee.problems)).toEqual([]);

      // Lee's phone is lost: the owner resets Lee's two-step sign-in from the STAFF page.
      const owner = await signInAsOwner(suite);
      await ageSessions(suite.server, 11);
      await owner.page.goto(`${suite.server.url}/a/${ACME_SLUG}/staff`);
      await owner.page.getByRole("button", { name: "Edit Lee Chen" }).click();
      const window = owner.page.getByRole("dialog", { name: "Edit Lee Chen" });
      const twoStep = window.getByRole("group", { name: "Two-step sign-in" });
      await twoStep.getByText("On: authenticator app · 10 recovery codes left").waitFor();
      await expectAccessible(owner.page, "the edit window with two-step sign-in");
      await twoStep.getByRole("button", { name: "Reset two-step sign-in" }).click();
      const question = owner.page.getByRole("alertdialog", { name: "Reset Lee Chen's two-step sign-in?" });
      await question.getByText(/^For a lost or replaced phone/).waitFor();
      await screenshot(owner.page, "two-factor-admin-reset");
      await expectAccessible(owner.page, "the reset question");
      await question.getByRole("button", { name: "Reset two-step sign-in" }).click();
      // The owner has no authenticator app: the prompt asks for the password only.
      const ownerConfirm = owner.page.getByRole("dialog", { name: "Confirm it's you" });
      await ownerConfirm.waitFor();
      expect(await ownerConfirm.getByRole("button", { name: /instead$/ }).count()).toBe(0);
      await expectAccessible(owner.page, "the prompt asking for the password");
      await confirmWithPassword(owner.page, OWNER_PASSWORD);
      await twoStep.getByText("Two-step sign-in was reset. Lee now signs in with their password alone.").waitFor();
      await twoStep.getByText("Off: signs in with a password alone").waitFor();
      await expectAccessible(owner.page, "the edit window, two-step sign-in reset");
      expect(await twoStep.getByRole("button", { name: "Reset two-step sign-in" }).count()).toBe(0);
      await waitForMail(suite.server, "lee@acme.example", "Two-factor sign-in was reset for Lee Chen");

      // Lee signs in with the password alone.
      const again = await suite.newPage();
      await signInThroughUi(again.page, suite.server.url, ACME_SLUG, "lee", LEE_PASSWORD);
      await again.page.getByText("Signed in as Lee Chen").waitFor();
      await again.page
        .getByRole("region", { name: "Two-step sign-in" })
        .getByText(/^Off\./)
        .waitFor();
      await expectAccessible(again.page, "Lee's home page after the reset");

      // The audit log tells it in words.
      await owner.page.keyboard.press("Escape");
      await window.waitFor({ state: "detached" });
      await owner.page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Audit log" }).click();
      const what = owner.page.getByLabel("What happened");
      await what.selectOption({ label: "Two-step sign-in reset (lost phone)" });
      await owner.page
        .getByRole("cell", {
          name: "Reset the two-step sign-in of Lee Chen (removed the authenticator app and 10 recovery codes)",
        })
        .waitFor();
      await what.selectOption({ label: "Authenticator app set up" });
      await owner.page.getByRole("cell", { name: "Set up an authenticator app for two-step sign-in" }).waitFor();
      await what.selectOption({ label: "Confirmed it's them for a sensitive change" });
      await owner.page.getByRole("cell", { name: "Confirmed it's them with an authenticator code" }).waitFor();
      await what.selectOption({ label: "Wrong second-step code" });
      await owner.page.getByRole("cell", { name: "Entered a wrong authenticator code" }).waitFor();
      await what.selectOption({ label: "Password right, second step asked for" });
      await owner.page.getByRole("cell", { name: "Entered the right password; asked for the second step" }).waitFor();
      await what.selectOption({ label: "Signed in" });
      await owner.page.getByRole("cell", { name: "Signed in with password" }).first().waitFor();
      await what.selectOption({ label: "New recovery codes made" });
      await owner.page.getByRole("cell", { name: "Made new recovery codes; the old ones stopped working" }).waitFor();
      await expectAccessible(owner.page, "the audit log filtered");
      expect(unexpected(owner.problems)).toEqual([]);
      expect(unexpected(again.problems)).toEqual([]);
    },
  );

  it(
    "the owner turns on “Require two-factor” in Settings, after confirming it's them; Pat is then shown how to set it up at sign-in",
    { timeout: 90_000 },
    async () => {
      try {
        const { page, problems } = await signInAsOwner(suite);
        await ageSessions(suite.server, 11);
        await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Settings" }).click();
        const toggle = page.getByRole("switch", { name: "Require two-factor for the Office Portal" });
        expect(await toggle.isChecked()).toBe(false);
        await page.getByText(/Nobody is locked out: each person who hasn't set it up yet is shown how/).waitFor();
        await expectAccessible(page, "the settings page");
        await toggle.check();
        await page.getByRole("button", { name: "Save settings" }).click();
        await confirmWithPassword(page, OWNER_PASSWORD);
        await page.getByRole("status").filter({ hasText: "Settings saved." }).waitFor();
        expect(await toggle.isChecked()).toBe(true);
        await screenshot(page, "two-factor-settings");
        await expectAccessible(page, "the settings page, two-factor required");
        const account = await suite.server.runtime.deps.db
          .selectFrom("accounts")
          .select("require_two_factor")
          .executeTakeFirstOrThrow();
        expect(account.require_two_factor).toBe(1);

        // Saving again without touching it asks nothing more (it isn't sent when unchanged).
        await ageSessions(suite.server, 11);
        await page.getByRole("button", { name: "Save settings" }).click();
        await page.getByRole("status").filter({ hasText: "Settings saved." }).waitFor();
        expect(await page.getByRole("dialog", { name: "Confirm it's you" }).count()).toBe(0);

        await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Audit log" }).click();
        await page.getByRole("cell", { name: "Changed settings: required two-step sign-in for everyone" }).waitFor();
        await expectAccessible(page, "the audit log");

        // Pat isn't locked out: the next sign-in explains and sets it up.
        const pat = await suite.newPage();
        await signInThroughUi(pat.page, suite.server.url, ACME_SLUG, "pat", PAT_PASSWORD);
        await pat.page.getByRole("heading", { name: "Set up two-step sign-in", level: 1 }).waitFor();
        await readSetupKey(pat.page);
        await expectAccessible(pat.page, "the setup at sign-in");
        expect(unexpected(problems)).toEqual([]);
        expect(unexpected(pat.problems)).toEqual([]);
      } finally {
        await requireTwoFactor(suite.server, false);
      }
    },
  );
});
