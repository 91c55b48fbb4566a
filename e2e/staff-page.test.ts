import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { ACME_SLUG, addStaffMember, createAcmeAccount, signInAsOwner } from "./support/acme.js";
import { expectAccessible } from "./support/axe.js";
import { browserAvailable, useBrowserSuite } from "./support/browser.js";
import { replaceTemporaryPassword, requirement, signInThroughUi, submitLogin } from "./support/portal.js";
import { screenshot } from "./support/screenshots.js";

const SAM_FIRST_PASSWORD = "pool-lane-whistle-73";
const SAM_OWN_PASSWORD = "deep-end-lifeguard-19";
const ALEX_PASSWORD = "chlorine-harbour-58";
const MASK = "••••••••";

describe.skipIf(!browserAvailable)("the STAFF page in the browser", () => {
  const suite = useBrowserSuite({
    setUp: async ({ server }) => {
      const { account } = await createAcmeAccount(server);
      // Another admin, to check what people with Admin Access may not do to the owner.
      await addStaffMember(server, account.id, {
        username: "alex",
        firstName: "Alex",
        lastName: "Moreno",
        email: "alex@acme.example",
        mobilePhone: "+1 415 555 0142",
        smsOptIn: true,
        adminFullAccess: true,
        password: ALEX_PASSWORD,
      });
    },
  });

  /** Signs in on the business's sign-in page. */
  const signIn = (page: Page, login: string, password: string) =>
    signInThroughUi(page, suite.server.url, ACME_SLUG, login, password);

  /** Chromium logs the expected 401 (signed out) and 403 answers as failed resources. */
  const unexpected = (problems: string[]) => problems.filter((p) => !/status of 40[13]/.test(p));

  // Strings, not functions: the project's Node typings have no DOM.
  const focusedLabel = (page: Page) =>
    page.evaluate<string | null>(
      "document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? null",
    );

  it(
    "the owner adds Sam, sets a password and a permission; Sam must choose a new password, then sees the STAFF page",
    { timeout: 90_000 },
    async () => {
      const { page, problems } = await signInAsOwner(suite);

      await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Staff" }).click();
      await page.getByRole("heading", { name: "Staff", level: 1 }).waitFor();
      const ownerRow = page.getByRole("row").filter({ hasText: "Olivia Harper" });
      await ownerRow.waitFor();
      expect(await ownerRow.textContent()).toContain("Owner");
      expect(await ownerRow.textContent()).toContain("Admin");
      await screenshot(page, "staff-page");
      await expectAccessible(page, "the STAFF page");

      // Add Sam.
      await page.getByRole("button", { name: "Add staff" }).click();
      const addDialog = page.getByRole("dialog", { name: "Add staff" });
      await addDialog.waitFor();
      expect(await addDialog.getAttribute("aria-modal")).toBe("true");
      await addDialog.getByLabel("First name").fill("Sam");
      await addDialog.getByLabel("Last name").fill("Rivera");
      await addDialog.getByLabel("Username").fill("sam");
      await addDialog.getByLabel("Email").fill("sam@acme.example");
      await screenshot(page, "staff-add");
      await expectAccessible(page, "the Add staff window");
      await addDialog.getByRole("button", { name: "Add staff member" }).click();
      await page.getByRole("status").filter({ hasText: "Sam Rivera was added." }).waitFor();
      expect(await addDialog.count()).toBe(0);
      const samRow = page.getByRole("row").filter({ hasText: "Sam Rivera" });
      await samRow.waitFor();
      expect(await samRow.textContent()).toContain("No password yet");
      await expectAccessible(page, "the STAFF page with Sam added");

      // The edit window, from the pencil left of the name.
      await page.getByRole("button", { name: "Edit Sam Rivera" }).click();
      const dialog = page.getByRole("dialog", { name: "Edit Sam Rivera" });
      await dialog.waitFor();
      expect(await dialog.getAttribute("aria-modal")).toBe("true");
      const detailsTab = dialog.getByRole("tab", { name: "Details" });
      expect(await detailsTab.getAttribute("aria-selected")).toBe("true");
      expect(await focusedLabel(page)).toBe("Details");
      await expectAccessible(page, "the edit window");

      const mustChange = dialog.getByLabel("Must choose a new password at next sign-in");
      expect(await mustChange.isChecked()).toBe(true);
      const password = dialog.getByRole("textbox", { name: "Password", exact: true });
      expect(await password.inputValue()).toBe("");
      await dialog.getByText("Set a new password for Sam. Nobody can see a password, not even admins.").waitFor();
      await password.fill(SAM_FIRST_PASSWORD);
      await requirement(dialog, "min-length", "met").waitFor();
      expect(await requirement(dialog, "common").textContent()).toContain("checked when you save");
      await screenshot(page, "staff-edit-details");
      await expectAccessible(page, "the edit window with a new password");
      await dialog.getByRole("button", { name: "Save changes" }).click();
      await dialog.getByText("Password set. Sam must choose a new password at next sign-in.").waitFor();
      await dialog.getByText(MASK, { exact: true }).waitFor();
      await dialog.getByText("Password set", { exact: true }).waitFor();
      expect(await dialog.getByRole("textbox", { name: "Password", exact: true }).count()).toBe(0);
      expect(await dialog.innerHTML()).not.toContain(SAM_FIRST_PASSWORD);
      await screenshot(page, "staff-edit-password-set");
      await expectAccessible(page, "the edit window, password set");

      // Permissions, reached with the arrow key.
      await detailsTab.focus();
      await page.keyboard.press("ArrowRight");
      const permissionsTab = dialog.getByRole("tab", { name: "Permissions" });
      expect(await permissionsTab.getAttribute("aria-selected")).toBe("true");
      const admin = dialog.getByRole("checkbox", { name: "Admin Access (Full Permissions)" });
      expect(await admin.isChecked()).toBe(false);
      await dialog.getByRole("checkbox", { name: "View staff" }).check();
      await screenshot(page, "staff-edit-permissions");
      await expectAccessible(page, "the permissions tab");
      await dialog.getByRole("button", { name: "Save permissions" }).click();
      await dialog.getByText("Permissions saved.").waitFor();
      await expectAccessible(page, "the permissions tab, saved");

      // Esc closes the window and focus returns to the pencil.
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "detached" });
      expect(await focusedLabel(page)).toBe("Edit Sam Rivera");
      expect(await samRow.textContent()).not.toContain("No password yet");

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByText("You have been signed out.").waitFor();
      await expectAccessible(page, "the sign-in page after signing out");

      // Sam signs in with the given password and must choose a new one.
      await signIn(page, "sam", SAM_FIRST_PASSWORD);
      await replaceTemporaryPassword(page, SAM_FIRST_PASSWORD, SAM_OWN_PASSWORD);

      await submitLogin(page, "sam", SAM_OWN_PASSWORD);
      await page.getByText("Signed in as Sam Rivera").waitFor();
      await expectAccessible(page, "Sam's home page");

      // View staff: the STAFF page opens, without "Add staff" and without the Audit log.
      const nav = page.getByRole("navigation", { name: "Portal" });
      expect(await nav.getByRole("link", { name: "Audit log" }).count()).toBe(0);
      await nav.getByRole("link", { name: "Staff" }).click();
      await page.getByRole("row").filter({ hasText: "Olivia Harper" }).waitFor();
      expect(await page.getByRole("button", { name: "Add staff" }).count()).toBe(0);
      await expectAccessible(page, "the STAFF page as Sam");
      await page.getByRole("button", { name: "View Sam Rivera" }).click();
      const own = page.getByRole("dialog", { name: "Sam Rivera" });
      await own.getByText("Only staff with Admin Access (Full Permissions) can change passwords.").waitFor();
      expect(await own.getByRole("textbox", { name: "Password", exact: true }).count()).toBe(0);
      await expectAccessible(page, "Sam's own window, read-only");
      await page.keyboard.press("Escape");
      await own.waitFor({ state: "detached" });

      expect(unexpected(problems)).toEqual([]);
    },
  );

  it("another admin sees the owner read-only: only the owner can change the owner", { timeout: 90_000 }, async () => {
    const { page, problems } = await suite.newPage();
    await signIn(page, "alex", ALEX_PASSWORD);
    await page.getByText("Signed in as Alex Moreno").waitFor();
    await page.goto(`${suite.server.url}/a/${ACME_SLUG}/staff`);

    await page.getByRole("button", { name: "Edit Olivia Harper" }).click();
    const dialog = page.getByRole("dialog", { name: "Olivia Harper" });
    await dialog.waitFor();
    const reason = dialog.getByText("Only the Business Owner can change the Business Owner.");
    expect(await reason.count()).toBeGreaterThan(0);
    expect(await dialog.getByRole("textbox", { name: "Password", exact: true }).count()).toBe(0);
    expect(await dialog.getByLabel("Username").isDisabled()).toBe(true);
    expect(await dialog.getByRole("button", { name: "Save changes" }).count()).toBe(0);
    await dialog.getByText(MASK, { exact: true }).waitFor();
    await screenshot(page, "staff-edit-owner-as-admin");
    await expectAccessible(page, "the owner's window as another admin");

    await dialog.getByRole("tab", { name: "Permissions" }).click();
    const admin = dialog.getByRole("checkbox", { name: "Admin Access (Full Permissions)" });
    expect(await admin.isChecked()).toBe(true);
    expect(await admin.isDisabled()).toBe(true);
    await dialog.getByText("The Business Owner always has Admin Access.").waitFor();
    await expectAccessible(page, "the owner's permissions as another admin");
    expect(await dialog.getByRole("button", { name: "Save permissions" }).count()).toBe(0);

    // Tab stays inside the window.
    for (let i = 0; i < 12; i++) await page.keyboard.press("Tab");
    expect(await page.evaluate<boolean>("document.activeElement?.closest('dialog') != null")).toBe(true);
    await dialog.getByRole("button", { name: "Close" }).click();
    await dialog.waitFor({ state: "detached" });
    expect(await focusedLabel(page)).toBe("Edit Olivia Harper");

    // Alex's own window: unticking their own Admin Access warns that they will be signed out.
    await page.getByRole("button", { name: "Edit Alex Moreno" }).click();
    const self = page.getByRole("dialog", { name: "Edit Alex Moreno" });
    expect(await self.getByLabel("Must choose a new password at next sign-in").count()).toBe(0); // password set
    await self.getByRole("button", { name: "Change Alex's password" }).click();
    expect(await self.getByLabel("Must choose a new password at next sign-in").isChecked()).toBe(false);
    await expectAccessible(page, "Alex's window, changing the password");
    await self.getByRole("button", { name: "Keep the current password" }).click();
    await self.getByRole("tab", { name: "Permissions" }).click();
    await self.getByRole("checkbox", { name: "Admin Access (Full Permissions)" }).uncheck();
    await self.getByText("You're removing your own Admin Access.").waitFor();
    await expectAccessible(page, "Alex's permissions, removing Admin Access");
    await self.getByRole("button", { name: "Save permissions" }).click();
    const confirm = page.getByRole("alertdialog", { name: "Remove your own Admin Access?" });
    await confirm.waitFor();
    await expectAccessible(page, "the remove-Admin-Access confirmation");
    await confirm.getByRole("button", { name: "Keep Admin Access" }).click();
    await confirm.waitFor({ state: "detached" });
    await self.getByRole("checkbox", { name: "Admin Access (Full Permissions)" }).check();

    expect(unexpected(problems)).toEqual([]);
  });

  it("shows people without View staff an explanation instead of the list", { timeout: 90_000 }, async () => {
    const account = await suite.server.runtime.deps.db
      .selectFrom("accounts")
      .select("id")
      .where("slug", "=", ACME_SLUG)
      .executeTakeFirstOrThrow();
    await addStaffMember(suite.server, account.id, {
      username: "jo",
      firstName: "Jo",
      lastName: "Park",
      password: "front-desk-pass-1",
    });
    const { page, problems } = await suite.newPage(768);
    await signIn(page, "jo", "front-desk-pass-1");
    await page.getByText("Signed in as Jo Park").waitFor();
    expect(await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Staff" }).count()).toBe(0);
    await page.goto(`${suite.server.url}/a/${ACME_SLUG}/staff`);
    await page.getByText("You don't have access to the staff list.").waitFor();
    await expectAccessible(page, "the STAFF page without View staff");
    expect(await page.getByRole("table").count()).toBe(0);
    expect(unexpected(problems)).toEqual([]);
  });
});
