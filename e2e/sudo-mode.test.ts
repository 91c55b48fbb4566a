import { describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { ACME_SLUG, OWNER_PASSWORD, addStaffMember, createAcmeAccount, signInAsOwner } from "./support/acme.js";
import { ageSessions, apiClient } from "./support/api.js";
import { expectAccessible } from "./support/axe.js";
import { browserAvailable, useBrowserSuite } from "./support/browser.js";
import { isFocused, requirement, signInThroughUi, submitLogin } from "./support/portal.js";
import { screenshot } from "./support/screenshots.js";

const SAM_PASSWORD = "front-desk-pass-1";
const SAM_NEW_PASSWORD = "kickboard-sunrise-27";
const ALEX_PASSWORD = "chlorine-harbour-58";
const ALEX_NEW_PASSWORD = "backstroke-lantern-36";
const NOT_CONFIRMED = "Not saved, because your password wasn't confirmed. Your changes are still here.";

describe.skipIf(!browserAvailable)("sudo mode and one's own password on the STAFF page, in the browser", () => {
  const suite = useBrowserSuite({
    setUp: async ({ server }) => {
      const { account } = await createAcmeAccount(server);
      await addStaffMember(server, account.id, {
        username: "sam",
        firstName: "Sam",
        lastName: "Rivera",
        email: "sam@acme.example",
        password: SAM_PASSWORD,
      });
      await addStaffMember(server, account.id, {
        username: "alex",
        firstName: "Alex",
        lastName: "Moreno",
        email: "alex@acme.example",
        adminFullAccess: true,
        password: ALEX_PASSWORD,
      });
    },
  });

  /** Chromium logs the expected 401 (confirm your password, signed out) and 422 answers as failed resources. */
  const unexpected = (problems: string[]) => problems.filter((p) => !/status of 4(01|22)/.test(p));

  async function actions(): Promise<string[]> {
    const rows = await suite.server.runtime.deps.db.selectFrom("audit_events").select("action").orderBy("at").execute();
    return rows.map((row) => row.action);
  }

  async function openStaffWindow(page: Page, name: string): Promise<Locator> {
    await page.goto(`${suite.server.url}/a/${ACME_SLUG}/staff`);
    await page.getByRole("button", { name: `Edit ${name}` }).click();
    const dialog = page.getByRole("dialog", { name: `Edit ${name}` });
    await dialog.waitFor();
    await expectAccessible(page, "the edit window");
    return dialog;
  }

  it(
    "an owner signed in 11 minutes ago sets Sam's password: “Confirm it's you” asks in place, then the save completes",
    { timeout: 90_000 },
    async () => {
      const { page, problems } = await signInAsOwner(suite);
      await ageSessions(suite.server, 11);

      const dialog = await openStaffWindow(page, "Sam Rivera");
      await dialog.getByRole("button", { name: "Change Sam's password" }).click();
      const password = dialog.getByRole("textbox", { name: "Password", exact: true });
      await password.fill(SAM_NEW_PASSWORD);
      const save = dialog.getByRole("button", { name: "Save changes" });
      await save.click();

      // The prompt opens on top of the staff window, with focus in its password field.
      const confirm = page.getByRole("dialog", { name: "Confirm it's you" });
      await confirm.waitFor();
      expect(await confirm.getAttribute("aria-modal")).toBe("true");
      const ownPassword = confirm.getByLabel("Your password", { exact: true });
      await expect.poll(() => isFocused(ownPassword)).toBe(true);
      await screenshot(page, "sudo-confirm");
      await expectAccessible(page, "the “Confirm it's you” prompt");

      // Esc cancels: nothing is sent again, the form stays as it was, focus goes to the result.
      await page.keyboard.press("Escape");
      await confirm.waitFor({ state: "detached" });
      const notConfirmed = dialog.getByRole("status").filter({ hasText: NOT_CONFIRMED });
      await notConfirmed.waitFor();
      expect(await password.inputValue()).toBe(SAM_NEW_PASSWORD);
      // Focus lands on what happened (Save is the next Tab stop back).
      await expect.poll(() => isFocused(notConfirmed)).toBe(true);
      await expectAccessible(page, "the edit window, not confirmed");
      expect((await actions()).filter((action) => action === "password.changed")).toEqual([]);

      // Saved again: a wrong password is said at once and the prompt stays.
      await save.click();
      await confirm.waitFor();
      await ownPassword.fill("not-my-password-1");
      await confirm.getByRole("button", { name: "Confirm" }).click();
      await confirm.getByText("That password is incorrect. Try again.").waitFor();
      expect(await ownPassword.inputValue()).toBe("");
      await expect.poll(() => isFocused(ownPassword)).toBe(true);
      await expectAccessible(page, "the prompt with a wrong password");

      // The right one: the prompt closes and the original save goes through as if nothing happened.
      await ownPassword.fill(OWNER_PASSWORD);
      await page.keyboard.press("Enter");
      await confirm.waitFor({ state: "detached" });
      await dialog.getByText("Password set. Sam must choose a new password at next sign-in.").waitFor();
      await dialog.getByText("Password set", { exact: true }).waitFor();
      const result = dialog.getByRole("status").filter({ hasText: "Password set. Sam must choose" });
      await expect.poll(() => isFocused(result)).toBe(true);
      await expectAccessible(page, "the edit window, password set");

      // Sam's new password works (and must be replaced at sign-in); the old one no longer does.
      const asSam = apiClient(suite.server, ACME_SLUG);
      expect((await asSam("POST", "/session", { login: "sam", password: SAM_PASSWORD })).status).toBe(401);
      const signedIn = await asSam("POST", "/session", { login: "sam", password: SAM_NEW_PASSWORD });
      expect(signedIn.status).toBe(200);
      expect(signedIn.body.passwordChangeRequired).toBe(true);

      // Ten quiet minutes later, granting a permission asks again; confirmed, it is saved.
      await ageSessions(suite.server, 11);
      await dialog.getByRole("tab", { name: "Permissions" }).click();
      await dialog.getByRole("checkbox", { name: "View staff" }).check();
      await dialog.getByRole("button", { name: "Save permissions" }).click();
      await confirm.waitFor();
      await ownPassword.fill(OWNER_PASSWORD);
      await confirm.getByRole("button", { name: "Confirm" }).click();
      await confirm.waitFor({ state: "detached" });
      await dialog.getByText(/^Permissions saved\./).waitFor();
      await expectAccessible(page, "the permissions tab, saved");
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "detached" });

      const recorded = await actions();
      expect(recorded.filter((action) => action === "auth.reauthenticated")).toHaveLength(2);
      expect(recorded).toEqual(
        expect.arrayContaining(["auth.reauthentication_failed", "password.changed", "staff.permissions_changed"]),
      );

      // The audit log says it in words.
      await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Audit log" }).click();
      await page.getByLabel("What happened").selectOption({ label: "Confirmed it's them for a sensitive change" });
      const rows = page.locator("tbody tr").filter({ hasText: "Confirmed their password" });
      await expect.poll(() => rows.count()).toBe(2);
      await page.getByLabel("What happened").selectOption({ label: "Password confirmation failed" });
      await page.getByRole("cell", { name: "Tried to confirm their password, but it was wrong" }).waitFor();
      await expectAccessible(page, "the audit log filtered");

      expect(unexpected(problems)).toEqual([]);
    },
  );

  it(
    "Alex's own password on the STAFF page needs the current one and a different new one; then Alex signs in with it",
    { timeout: 90_000 },
    async () => {
      const { page, problems } = await suite.newPage();
      await signInThroughUi(page, suite.server.url, ACME_SLUG, "alex", ALEX_PASSWORD);
      await page.getByText("Signed in as Alex Moreno").waitFor();

      const dialog = await openStaffWindow(page, "Alex Moreno");
      await dialog.getByRole("button", { name: "Change Alex's password" }).click();
      const current = dialog.getByLabel("Current password", { exact: true });
      const fresh = dialog.getByLabel("New password", { exact: true });
      expect(await dialog.getByRole("textbox", { name: "Password", exact: true }).count()).toBe(0);

      // Nothing typed for the current password: asked for it, nothing sent.
      await fresh.fill(ALEX_NEW_PASSWORD);
      await dialog.getByRole("button", { name: "Save changes" }).click();
      await dialog.getByText("Enter your current password.").waitFor();
      await expect.poll(() => isFocused(current)).toBe(true);
      await expectAccessible(page, "the own password without the current one");

      // The same password again: the checklist and the error say so in plain words.
      await current.fill(ALEX_PASSWORD);
      await fresh.fill(ALEX_PASSWORD);
      await requirement(dialog, "different", "failed").waitFor();
      expect(await requirement(dialog, "different").textContent()).toContain("Different from your current password");
      await screenshot(page, "staff-own-password-same");
      await expectAccessible(page, "the own password, same as the current one");
      await dialog.getByRole("button", { name: "Save changes" }).click();
      await dialog.getByText("The new password must be different from your current password.").waitFor();

      // A wrong current password is refused by the server and cleared.
      await current.fill("not-my-password-2");
      await fresh.fill(ALEX_NEW_PASSWORD);
      await requirement(dialog, "different", "met").waitFor();
      await dialog.getByRole("button", { name: "Save changes" }).click();
      await dialog.getByText("Your current password is incorrect.").waitFor();
      expect(await current.inputValue()).toBe("");
      await expectAccessible(page, "the own password with a wrong current one");

      // The right one: Alex is signed out and signs in with the new password.
      await current.fill(ALEX_PASSWORD);
      await dialog.getByRole("button", { name: "Save changes" }).click();
      await page.getByText("Your password was changed. Sign in with your new password.").waitFor();
      await expectAccessible(page, "the sign-in page after the change");
      await submitLogin(page, "alex", ALEX_NEW_PASSWORD);
      await page.getByText("Signed in as Alex Moreno").waitFor();

      // The Change Password page says the same about a new password equal to the current one.
      await page.getByRole("button", { name: "Change password" }).click();
      await page.getByRole("heading", { name: "Change password" }).waitFor();
      await page.getByLabel("Current password", { exact: true }).fill(ALEX_NEW_PASSWORD);
      await page.getByLabel("New password", { exact: true }).fill(ALEX_NEW_PASSWORD);
      await requirement(page, "different", "failed").waitFor();
      await page.getByLabel("Confirm new password", { exact: true }).fill(ALEX_NEW_PASSWORD);
      await page.getByRole("button", { name: "Change password" }).click();
      await page.getByText("The new password must be different from your current password.").waitFor();
      await expectAccessible(page, "the change-password page, same password");
      expect(new URL(page.url()).pathname).toBe(`/a/${ACME_SLUG}/change-password`);

      const recorded = await actions();
      expect(recorded).toEqual(expect.arrayContaining(["password.change_failed"]));
      expect(unexpected(problems)).toEqual([]);
    },
  );
});
