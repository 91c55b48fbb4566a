// Issue 16, item 6: pages that say why you are there and what to do next — after a password
// change elsewhere ended your session, on an expired link, on the forced change after a one-time
// password, on Forgot Password (the vendor's support contact, for an owner), and on an address that
// leads nowhere (the bare 404 page of item 8). At 1280×800 and
// 390×844, every state checked with axe-core and kept as a screenshot.
import { describe, expect, it } from "vitest";
import { SIGNED_OUT_REASONS } from "../src/contract/signed-out-reasons.js";
import { ACME_SLUG, OWNER_PASSWORD, addStaffMember, createAcmeAccount } from "./support/acme.js";
import { apiClient } from "./support/api.js";
import { expectAccessible } from "./support/axe.js";
import { browserAvailable, useBrowserSuite } from "./support/browser.js";
import { linkIn, waitForMail } from "./support/mailbox.js";
import { signInThroughUi, submitLogin } from "./support/portal.js";
import { VIEWPORTS, keepScreenshot } from "./support/screenshots.js";

const FIRST_PASSWORD = "front-desk-pass-1";
const CHANGED_ELSEWHERE = "kickboard-sunrise-27";
const ONE_TIME = "pool-lane-whistle-73";
const CHOSEN = "harbour-signal-comet-62";
/** The person each window size follows, so that the two runs don't meet. */
const PEOPLE = {
  desktop: { username: "kim", name: "Kim Lopez", email: "kim@acme.example" },
  phone: { username: "lou", name: "Lou Chen", email: "lou@acme.example" },
} as const;

describe.skipIf(!browserAvailable)("pages that say why you're there, in the browser", () => {
  const suite = useBrowserSuite({
    setUp: async ({ server }) => {
      const { account } = await createAcmeAccount(server, { ownerEmail: "olivia@acme.example" });
      for (const person of Object.values(PEOPLE)) {
        const [firstName, lastName] = person.name.split(" ") as [string, string];
        await addStaffMember(server, account.id, {
          username: person.username,
          firstName,
          lastName,
          email: person.email,
          password: FIRST_PASSWORD,
        });
      }
    },
  });

  /**
   * Chromium logs the expected 401 (signed out; the session that ended), 403 (a password to change
   * first), 404 (the page that isn't there) and 410 (the expired link) answers as failed resources.
   */
  const unexpected = (problems: string[]) => problems.filter((p) => !/status of 4(01|03|04|10)/.test(p));

  for (const viewport of VIEWPORTS) {
    it(
      `at ${viewport.width}×${viewport.height}: signed out by a change elsewhere, an expired link, the forced change, the owner's way back`,
      {
        timeout: 120_000,
      },
      async () => {
        const person = PEOPLE[viewport.name];
        const { server } = suite;
        const { page, problems } = await suite.newPage(viewport.width, viewport.height);
        const look = async (name: string, where: string) => {
          await expectAccessible(page, `${where} at ${viewport.width}×${viewport.height}`);
          await keepScreenshot(page, viewport, name);
        };

        // Signed in here, then the password is changed on another device: this browser's sign-in
        // page says why it was signed out.
        await signInThroughUi(page, server.url, ACME_SLUG, person.username, FIRST_PASSWORD);
        await page.getByText(`Signed in as ${person.name}`).waitFor();
        const elsewhere = apiClient(server, ACME_SLUG);
        expect((await elsewhere("POST", "/session", { login: person.username, password: FIRST_PASSWORD })).status).toBe(
          200,
        );
        const changed = await elsewhere("PUT", "/me/password", {
          currentPassword: FIRST_PASSWORD,
          newPassword: CHANGED_ELSEWHERE,
          newPasswordConfirmation: CHANGED_ELSEWHERE,
        });
        expect(changed.status, JSON.stringify(changed.body)).toBe(204);
        await page.reload();
        await page.getByText(SIGNED_OUT_REASONS.password_changed).waitFor();
        expect(new URL(page.url()).pathname).toBe(`/a/${ACME_SLUG}/login`);
        await look("signed-out-password-changed", "the sign-in page after a password change elsewhere");

        // An expired reset link offers a new one for Acme Swim, without asking which business.
        const asked = await apiClient(server, ACME_SLUG)("POST", "/password-resets", { login: person.username });
        expect(asked.status).toBe(202);
        const link = linkIn(await waitForMail(server, person.email, "Reset your Acme Swim"), "/reset-password");
        await server.runtime.deps.db
          .updateTable("password_reset_tokens")
          .set({ expires_at: Date.now() - 1000 })
          .where("staff_id", "=", `stf_${person.username}`)
          .execute();
        await page.goto(link);
        await page.getByRole("heading", { name: "This link can't be used any more" }).waitFor();
        await page.getByText("This link was for Acme Swim.").waitFor();
        expect(await page.getByLabel("Business address").count()).toBe(0);
        await look("expired-link", "an expired reset link");
        await page.getByRole("link", { name: "Send me a new link" }).click();
        await page.getByRole("heading", { name: "Acme Swim", level: 1 }).waitFor();
        expect(new URL(page.url()).pathname).toBe(`/a/${ACME_SLUG}/forgot-password`);
        await look("expired-link-forgot-password", "Forgot Password, from an expired link");

        // The owner who forgot their password sees whom to call, on screen (the same for everyone).
        await page.getByLabel("Username or email").fill("admin");
        await page.getByRole("button", { name: "Email me a reset link" }).click();
        await page.getByRole("heading", { name: "Check your email" }).waitFor();
        await page.getByText(server.runtime.config.supportContact).waitFor();
        await look("forgot-password-support-contact", "Forgot Password, sent");

        // A one-time password from an admin: the forced change asks only for the new one.
        const owner = apiClient(server, ACME_SLUG);
        await owner("POST", "/session", { login: "admin", password: OWNER_PASSWORD });
        const set = await owner("PUT", `/staff/stf_${person.username}/password`, {
          password: ONE_TIME,
          mustChangeAtNextLogin: true,
        });
        expect(set.status, JSON.stringify(set.body)).toBe(200);
        await signInThroughUi(page, server.url, ACME_SLUG, person.username, ONE_TIME);
        await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
        await page.getByLabel("New password", { exact: true }).waitFor();
        expect(await page.getByLabel("Temporary password", { exact: true }).count()).toBe(0);
        expect(await page.getByLabel("Current password", { exact: true }).count()).toBe(0);
        await look("forced-change", "the forced change after a one-time password");
        await page.getByLabel("New password", { exact: true }).fill(CHOSEN);
        await page.getByLabel("Confirm new password", { exact: true }).fill(CHOSEN);
        await page.getByRole("button", { name: "Change password" }).click();
        await page.getByText("Your password was changed. Sign in with your new password.").waitFor();
        await look("forced-change-done", "the sign-in page after the forced change");
        await submitLogin(page, person.username, CHOSEN);
        await page.getByText(`Signed in as ${person.name}`).waitFor();

        // An address that leads nowhere gets a page that says so, with a title and a language.
        const missing = await page.goto(`${server.url}/no-such-page`);
        expect(missing?.status()).toBe(404);
        await page.getByRole("heading", { name: "Page not found", level: 1 }).waitFor();
        expect(await page.title()).toBe("Page not found · Staffgate");
        await look("not-found", "the 404 page");

        expect(unexpected(problems)).toEqual([]);
      },
    );
  }
});
