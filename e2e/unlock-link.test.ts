import { describe, expect, it } from "vitest";
import { attemptKey } from "../src/modules/credentials/index.js";
import { ACME_SLUG, OWNER_PASSWORD, createAcmeAccount } from "./support/acme.js";
import { expectAccessible } from "./support/axe.js";
import { browserAvailable, useBrowserSuite } from "./support/browser.js";
import { linkIn, waitForMail } from "./support/mailbox.js";
import { signInThroughUi, submitLogin } from "./support/portal.js";
import { screenshot } from "./support/screenshots.js";

const OWNER_EMAIL = "olivia@acme.example";
const INCORRECT = "The username/email or password is incorrect.";

describe.skipIf(!browserAvailable)("a locked sign-in and its unlock link, in the browser", () => {
  let ownerId = "";
  const suite = useBrowserSuite({
    setUp: async (started) => {
      const { owner } = await createAcmeAccount(started.server, { ownerEmail: OWNER_EMAIL });
      ownerId = owner.id;
    },
  });

  /** Chromium logs the expected 401 (signed out, wrong or refused password) and 410 (used link) answers as failed resources. */
  const unexpected = (problems: string[]) => problems.filter((p) => !/status of 4(01|10)/.test(p));

  it(
    "the 100th wrong password locks the owner out, even with the right one; the emailed link unlocks it",
    { timeout: 90_000 },
    async () => {
      const { db, clock } = suite.server.runtime.deps;
      // 99 wrong passwords already: the next one reaches the hard cap.
      await db
        .insertInto("login_attempts")
        .values({ subject: attemptKey(`staff:${ownerId}`), failures: 99, max_failures: 100, updated_at: clock.now() })
        .execute();

      const { page, problems } = await suite.newPage();
      page.on("request", (request) => {
        if (request.url().includes("token=")) problems.push(`token sent to the server: ${request.url()}`);
      });
      await signInThroughUi(page, suite.server.url, ACME_SLUG, "admin", "not-the-password-1");
      await page.getByText(INCORRECT).waitFor();
      await expectAccessible(page, "the sign-in page with a wrong password");

      const mail = await waitForMail(suite.server, OWNER_EMAIL, "Your Acme Swim Office Portal sign-in was locked");
      const link = linkIn(mail, "/unlock");
      expect(link.startsWith(`${suite.server.url}/unlock#token=`)).toBe(true);

      // Locked: the right password is refused with the same words as any wrong one.
      await submitLogin(page, "admin", OWNER_PASSWORD);
      await page.getByText(INCORRECT).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/a/${ACME_SLUG}/login`);
      const lockedTries = await db
        .selectFrom("audit_events")
        .select("details")
        .where("action", "=", "auth.sign_in_failed")
        .execute();
      expect(lockedTries.map((row) => JSON.parse(row.details) as { reason: string })).toContainEqual({
        reason: "locked",
      });

      // Opening the link changes nothing and takes the token out of the address; the button unlocks.
      await page.goto(link);
      await page.getByRole("heading", { name: "Unlock your sign-in" }).waitFor();
      expect(page.url()).toBe(`${suite.server.url}/unlock`);
      await screenshot(page, "unlock");
      await expectAccessible(page, "the unlock page");
      await page.getByRole("button", { name: "Unlock my sign-in" }).click();
      await page.getByRole("heading", { name: "Your sign-in at Acme Swim is unlocked" }).waitFor();
      await page.getByText("This browser is now trusted").waitFor();
      expect(await page.evaluate("sessionStorage.length")).toBe(0);
      await screenshot(page, "unlock-done");
      await expectAccessible(page, "the unlocked page");

      await page.getByRole("link", { name: "Go to sign in" }).click();
      expect(new URL(page.url()).pathname).toBe(`/a/${ACME_SLUG}/login`);
      await submitLogin(page, "admin", OWNER_PASSWORD);
      await page.getByText("Signed in as Olivia Harper").waitFor();
      await expectAccessible(page, "the home page");

      // The audit log tells the story in words.
      await page.goto(`${suite.server.url}/a/${ACME_SLUG}/audit`);
      await page
        .getByRole("cell", { name: /^Locked the sign-in of Olivia Harper after 100 wrong passwords/ })
        .waitFor();
      await page.getByRole("cell", { name: "Unlocked their sign-in with the emailed unlock link" }).waitFor();
      await page.getByRole("cell", { name: /^Sign-in failed: locked after too many wrong tries/ }).waitFor();
      await expectAccessible(page, "the audit log");

      // Used once, the link is done.
      await page.goto(link);
      await page.getByRole("button", { name: "Unlock my sign-in" }).click();
      await page.getByRole("heading", { name: "This link can't be used any more" }).waitFor();
      await expectAccessible(page, "the used unlock link");
      // It knows the business: a new link (a reset link, which also unlocks) is one click away.
      await page.getByText("This link was for Acme Swim.").waitFor();
      expect(await page.getByRole("link", { name: "Send me a new link" }).getAttribute("href")).toBe(
        `/a/${ACME_SLUG}/forgot-password`,
      );

      expect(unexpected(problems)).toEqual([]);
    },
  );
});
