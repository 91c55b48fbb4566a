import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from "../test/support/smtp.js";
import { ACME_SLUG, addStaffMember, createAcmeAccount } from "./support/acme.js";
import { expectAccessible } from "./support/axe.js";
import { browserAvailable, useBrowserSuite, type WatchedPage } from "./support/browser.js";
import { requirement, submitLogin } from "./support/portal.js";
import { screenshot } from "./support/screenshots.js";

const SAM_EMAIL = "sam@acme.example";
const OWNER_EMAIL = "olivia@acme.example";
const NEW_PASSWORD = "harbour-kite-morning-42";

describe.skipIf(!browserAvailable)("Forgot Password in the browser, with real email", () => {
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await smtp?.stop();
  });
  const suite = useBrowserSuite({
    env: () => ({ SMTP_URL: smtp.url }),
    setUp: async ({ server }) => {
      const { account } = await createAcmeAccount(server, { ownerEmail: OWNER_EMAIL });
      await addStaffMember(server, account.id, {
        username: "sam",
        firstName: "Sam",
        lastName: "Rivera",
        email: SAM_EMAIL,
        password: "front-desk-pass-1",
      });
    },
  });

  /** Also counts a token sent to the server (in a URL) as a problem. */
  async function newPage(): Promise<WatchedPage> {
    const opened = await suite.newPage();
    opened.page.on("request", (request) => {
      if (request.url().includes("token=")) opened.problems.push(`token sent to the server: ${request.url()}`);
    });
    return opened;
  }

  /** Chromium logs expected 401 (signed out) and 410 (used link) answers as failed resources. */
  const unexpected = (problems: string[]) => problems.filter((p) => !/status of 4(01|10)/.test(p));

  /** Waits (up to 10 s) for the `count`-th message to `to` whose subject starts with `subject`. */
  async function mailTo(to: string, subject: string, count = 1): Promise<ReceivedMail> {
    const matching = () => smtp.messages.filter((m) => m.to === to && m.subject.startsWith(subject));
    await expect.poll(() => matching().length, { timeout: 10_000, interval: 100 }).toBeGreaterThanOrEqual(count);
    return matching()[count - 1] as ReceivedMail;
  }

  function linkIn(mail: ReceivedMail): string {
    const link = /(\S+\/reset-password#token=[A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
    if (!link) throw new Error(`no reset link in: ${mail.text}`);
    return link;
  }

  async function requestReset(page: Page, login: string): Promise<void> {
    await page.goto(`${suite.server.url}/a/${ACME_SLUG}/forgot-password`);
    await page.getByLabel("Username or email").fill(login);
    await page.getByRole("button", { name: "Email me a reset link" }).click();
    await page.getByRole("status").filter({ hasText: "If that username or email belongs" }).waitFor();
    await expectAccessible(page, "the Forgot Password page, sent");
  }

  it(
    "a staff member asks for a link, sets a new password with it, signs in, and the link is then used up",
    { timeout: 60_000 },
    async () => {
      const { page, problems } = await newPage();

      await page.goto(`${suite.server.url}/a/${ACME_SLUG}/login`);
      await page.getByRole("link", { name: "Forgot password?" }).waitFor();
      await screenshot(page, "login-with-forgot-link");
      await expectAccessible(page, "the sign-in page");
      await page.getByRole("link", { name: "Forgot password?" }).click();
      await page.getByRole("heading", { name: "Acme Swim" }).waitFor();
      expect(new URL(page.url()).pathname).toBe("/a/acme-swim/forgot-password");
      await page.getByText("The Business Owner's password can't be reset this way").waitFor();
      await expectAccessible(page, "the Forgot Password page");

      // Empty: said at once, nothing sent.
      await page.getByRole("button", { name: "Email me a reset link" }).click();
      await page.getByText("Enter your username or email address.").waitFor();
      await screenshot(page, "forgot-password");
      await expectAccessible(page, "the Forgot Password page with an empty login");

      await page.getByLabel("Username or email").fill("sam");
      await page.getByRole("button", { name: "Email me a reset link" }).click();
      const sent = page.getByRole("status").filter({ hasText: "If that username or email belongs" });
      await sent.waitFor();
      expect(await sent.textContent()).toContain("It works for 30 minutes.");
      await page.getByRole("link", { name: "Back to sign in" }).waitFor();
      await screenshot(page, "forgot-password-sent");
      await expectAccessible(page, "the Forgot Password page, sent");

      const mail = await mailTo(SAM_EMAIL, "Reset your");
      const link = linkIn(mail);
      expect(link.startsWith(`${suite.server.url}/reset-password#token=`)).toBe(true);

      // The token leaves the address bar as soon as the page runs; a reload still works.
      await page.goto(link);
      await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
      expect(page.url()).toBe(`${suite.server.url}/reset-password`);
      await page.getByText("For sam at Acme Swim.").waitFor();
      await expectAccessible(page, "the reset page");
      await page.reload();
      await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
      await page.getByText("For sam at Acme Swim.").waitFor();

      const newPassword = page.getByLabel("New password", { exact: true });
      await newPassword.fill("password123");
      await requirement(page, "common", "failed").waitFor();
      expect(await requirement(page, "common").textContent()).toContain("Not a commonly used password (not met)");
      await requirement(page, "min-length", "met").waitFor();
      await expectAccessible(page, "the reset page with a common password");

      await newPassword.fill(NEW_PASSWORD);
      await requirement(page, "common", "met").waitFor();
      await requirement(page, "personal", "met").waitFor();
      await page.getByLabel("Confirm new password", { exact: true }).fill(NEW_PASSWORD);
      await screenshot(page, "reset-password");
      await expectAccessible(page, "the reset page, filled in");
      await page.getByRole("button", { name: "Set new password" }).click();

      await page.getByRole("heading", { name: "Your password has been changed" }).waitFor();
      expect(await page.evaluate("sessionStorage.length")).toBe(0);
      await screenshot(page, "reset-password-done");
      await expectAccessible(page, "the password changed page");
      await page.getByRole("link", { name: "Go to sign in" }).click();
      await page.getByText("Your password was changed. Sign in with your new password.").waitFor();
      await expectAccessible(page, "the sign-in page after the reset");
      expect(new URL(page.url()).pathname).toBe("/a/acme-swim/login");

      await submitLogin(page, "sam", NEW_PASSWORD);
      await page.getByText("Signed in as Sam Rivera").waitFor();
      await expectAccessible(page, "Sam's home page");

      // Used once, the link is done; the page offers a new one for Acme Swim, without asking which business.
      await page.goto(link);
      await page.getByRole("heading", { name: "This link can't be used any more" }).waitFor();
      expect(page.url()).toBe(`${suite.server.url}/reset-password`);
      await page.getByText("works once, and for 30 minutes").waitFor();
      await screenshot(page, "reset-password-invalid");
      await page.getByText("This link was for Acme Swim.").waitFor();
      await expectAccessible(page, "the used reset link");
      expect(await page.getByLabel("Business address").count()).toBe(0);
      await page.getByRole("link", { name: "Send me a new link" }).click();
      await page.getByRole("button", { name: "Email me a reset link" }).waitFor();
      await expectAccessible(page, "the Forgot Password page from the used link");
      expect(new URL(page.url()).pathname).toBe("/a/acme-swim/forgot-password");

      const actions = (await suite.server.runtime.deps.db.selectFrom("audit_events").select("action").execute()).map(
        (e) => e.action,
      );
      expect(actions).toEqual(expect.arrayContaining(["password_reset.requested", "password_reset.completed"]));
      expect(unexpected(problems)).toEqual([]);
    },
  );

  it(
    "a link replaced by a newer one is refused on submit, and a new one is sent with one click",
    { timeout: 60_000 },
    async () => {
      const { page, problems } = await newPage();
      const before = smtp.messages.filter((m) => m.to === SAM_EMAIL && m.subject.startsWith("Reset your")).length;
      await requestReset(page, "sam");
      const older = linkIn(await mailTo(SAM_EMAIL, "Reset your", before + 1));

      await page.goto(older);
      await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
      await expectAccessible(page, "the reset page of an older link");

      // A second tab asks again: the newer link replaces the one open in the first tab.
      const { page: other } = await suite.newPage();
      await requestReset(other, "sam");
      await mailTo(SAM_EMAIL, "Reset your", before + 2);
      await other.close();

      // Keep the live check quiet here, so that it is the submit that meets the replaced link.
      await page.route("**/api/password-resets/check", (route) =>
        route.fulfill({ json: { ok: true, reasons: [], policy: { minLength: 8, maxLength: 256 } } }),
      );
      await page.getByLabel("New password", { exact: true }).fill("another-quiet-harbour-7");
      await page.getByLabel("Confirm new password", { exact: true }).fill("another-quiet-harbour-7");
      await page.getByRole("button", { name: "Set new password" }).click();
      await page.getByRole("heading", { name: "This link can't be used any more" }).waitFor();
      await screenshot(page, "reset-password-replaced");
      await expectAccessible(page, "the replaced reset link");
      expect(await page.evaluate("sessionStorage.length")).toBe(0);
      // The page knew whose link it was: the new one goes to Sam without another form. (Sam was
      // sent 3 links this hour, the most an hour allows; they are made older so a 4th may go.)
      await suite.server.runtime.deps.db
        .updateTable("password_reset_tokens")
        .set((eb) => ({ created_at: eb("created_at", "-", 2 * 60 * 60 * 1000) }))
        .execute();
      await page.getByRole("button", { name: "Send me a new link" }).click();
      await page.getByRole("status").filter({ hasText: "If that username or email belongs" }).waitFor();
      await expectAccessible(page, "the replaced reset link, new link sent");
      await mailTo(SAM_EMAIL, "Reset your", before + 3);
      expect(unexpected(problems)).toEqual([]);
    },
  );

  it("the Business Owner is sent the support notice, never a link", { timeout: 60_000 }, async () => {
    const { page, problems } = await newPage();
    await requestReset(page, "admin");
    const notice = await mailTo(OWNER_EMAIL, "Password reset for the Acme Swim Business Owner");
    expect(notice.text).toContain(suite.server.runtime.config.supportContact);
    expect(notice.text).not.toContain("reset-password#token=");
    expect(notice.html).not.toContain("reset-password#token=");
    expect(unexpected(problems)).toEqual([]);
  });

  it("a link without a token shows the same page, asking for the business address", { timeout: 60_000 }, async () => {
    const { page, problems } = await newPage();
    await page.goto(`${suite.server.url}/reset-password`);
    await page.getByRole("heading", { name: "This link can't be used any more" }).waitFor();
    await expectAccessible(page, "the reset page without a token");
    await page.getByRole("button", { name: "Request a new link" }).click();
    await page.getByText("Enter your business address.").waitFor();
    await expectAccessible(page, "the reset page without a token, asking for the business");
    expect(unexpected(problems)).toEqual([]);
  });
});
