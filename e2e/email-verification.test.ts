import { describe, expect, it } from "vitest";
import { ACME_SLUG, createAcmeAccount, signInAsOwner } from "./support/acme.js";
import { expectAccessible } from "./support/axe.js";
import { browserAvailable, useBrowserSuite } from "./support/browser.js";
import { linkIn, waitForMail } from "./support/mailbox.js";
import { screenshot } from "./support/screenshots.js";

const OLD_EMAIL = "olivia@acme.example";
const NEW_EMAIL = "olivia.harper@acme.example";

describe.skipIf(!browserAvailable)("email verification in the browser", () => {
  const suite = useBrowserSuite({ setUp: ({ server }) => createAcmeAccount(server, { ownerEmail: OLD_EMAIL }) });

  /** Chromium logs the expected 401 (signed out, on the sign-in page) and 410 (used link) answers as failed resources. */
  const unexpected = (problems: string[]) => problems.filter((p) => !/status of 4(01|10)/.test(p));

  async function ownerEmails() {
    return suite.server.runtime.deps.db
      .selectFrom("staff")
      .select(["email", "pending_email"])
      .where("username", "=", "admin")
      .executeTakeFirstOrThrow();
  }

  it(
    "the owner changes her own email: it waits for confirmation, the emailed link confirms it, and the STAFF page shows it",
    { timeout: 90_000 },
    async () => {
      const { page, problems } = await signInAsOwner(suite);
      page.on("request", (request) => {
        if (request.url().includes("token=")) problems.push(`token sent to the server: ${request.url()}`);
      });

      // Signed in just now: no "Confirm it's you" is needed.
      await page.goto(`${suite.server.url}/a/${ACME_SLUG}/staff`);
      await page.getByRole("button", { name: "Edit Olivia Harper" }).click();
      const dialog = page.getByRole("dialog", { name: "Edit Olivia Harper" });
      const email = dialog.getByRole("textbox", { name: "Email" });
      expect(await email.inputValue()).toBe(OLD_EMAIL);
      await email.fill(NEW_EMAIL);
      await dialog.getByRole("button", { name: "Save changes" }).click();
      await dialog
        .getByRole("status")
        .filter({ hasText: `To finish changing your email, open the link we sent to ${NEW_EMAIL}.` })
        .waitFor();
      expect(await page.getByRole("dialog", { name: "Confirm it's you" }).count()).toBe(0);

      // Pending: the address in force stays, and the window says where reset links go meanwhile.
      expect(await email.inputValue()).toBe(OLD_EMAIL);
      const pending = dialog.getByText(`Waiting for confirmation: ${NEW_EMAIL}.`);
      await pending.waitFor();
      expect(await pending.textContent()).toContain(`Reset links go to ${OLD_EMAIL} until it's confirmed.`);
      expect(await email.getAttribute("aria-describedby")).toBeTruthy();
      await screenshot(page, "staff-email-pending");
      await expectAccessible(page, "the edit window with the email pending");
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "detached" });
      await expectAccessible(page, "the STAFF page with the email pending");
      const row = page.getByRole("row").filter({ hasText: "Olivia Harper" });
      expect(await row.textContent()).toContain(`Waiting for confirmation: ${NEW_EMAIL}`);
      expect(await ownerEmails()).toEqual({ email: OLD_EMAIL, pending_email: NEW_EMAIL });

      // The link goes to the new address; opening it changes nothing and takes the token out of the address.
      const link = linkIn(
        await waitForMail(suite.server, NEW_EMAIL, "Confirm your email for Acme Swim's Office Portal"),
        "/verify-email",
      );
      expect(link.startsWith(`${suite.server.url}/verify-email#token=`)).toBe(true);
      await page.goto(link);
      await page.getByRole("heading", { name: "Confirm your email address" }).waitFor();
      expect(page.url()).toBe(`${suite.server.url}/verify-email`);
      expect(await ownerEmails()).toEqual({ email: OLD_EMAIL, pending_email: NEW_EMAIL });
      await screenshot(page, "verify-email");
      await expectAccessible(page, "the verification page");

      await page.getByRole("button", { name: "Confirm this email" }).click();
      await page.getByRole("heading", { name: "Your email address is confirmed" }).waitFor();
      expect(await page.evaluate("sessionStorage.length")).toBe(0);
      expect(await ownerEmails()).toEqual({ email: NEW_EMAIL, pending_email: null });
      await screenshot(page, "verify-email-done");
      await expectAccessible(page, "the email confirmed");

      // The STAFF page now shows the new email, confirmed.
      await page.goto(`${suite.server.url}/a/${ACME_SLUG}/staff`);
      await row.waitFor();
      expect(await row.textContent()).toContain(NEW_EMAIL);
      expect(await row.textContent()).not.toContain("Waiting for confirmation");
      await page.getByRole("button", { name: "Edit Olivia Harper" }).click();
      expect(await dialog.getByRole("textbox", { name: "Email" }).inputValue()).toBe(NEW_EMAIL);
      await dialog.getByText("Verified", { exact: true }).waitFor();
      await expectAccessible(page, "the edit window with the email verified");
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "detached" });

      // Used once, the link is done.
      await page.goto(link);
      await page.getByRole("button", { name: "Confirm this email" }).click();
      await page.getByRole("heading", { name: "This link can't be used any more" }).waitFor();
      await page.getByText("A confirmation link works once, for 24 hours").waitFor();
      await expectAccessible(page, "the used verification link");
      // A new link needs the address typed again, signed in: the page leads to the right business.
      expect(await page.getByRole("link", { name: "Sign in to Acme Swim for a new link" }).getAttribute("href")).toBe(
        `/a/${ACME_SLUG}/login`,
      );

      // The audit log names it.
      await page.goto(`${suite.server.url}/a/${ACME_SLUG}/audit`);
      await page.getByLabel("What happened").selectOption({ label: "Email address confirmed" });
      await page.getByRole("cell", { name: `Confirmed their new email address ${NEW_EMAIL}` }).waitFor();
      await expectAccessible(page, "the audit log filtered");

      expect(unexpected(problems)).toEqual([]);
    },
  );
});
