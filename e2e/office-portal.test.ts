/**
 * The example app (examples/office-portal) signing people in through Staffgate, end to end in
 * Chromium: the app sends the browser to its business's sign-in page (`account_hint`), the
 * person signs in, the app shows who they are, its admin page is Admin Access only, and a
 * password change in Staffgate signs the person out of the app through back-channel logout
 * (Staffgate's outbox POSTs a logout token to the app).
 *
 * Staffgate runs at http://localhost:…, the app at http://127.0.0.1:…: two sites, as in life.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { startOfficePortal, type RunningOfficePortal } from "../examples/office-portal/server.js";
import { createOidcClient } from "../src/modules/identity-provider/index.js";
import { freePort } from "../test/support/process.js";
import { ACME_SLUG, OWNER_PASSWORD, addStaffMember, createAcmeAccount } from "./support/acme.js";
import { expectAccessible } from "./support/axe.js";
import { browserAvailable, useBrowserSuite, type RunningServer } from "./support/browser.js";
import { submitLogin } from "./support/portal.js";
import { screenshot } from "./support/screenshots.js";

const SAM_PASSWORD = "front-desk-pass-1";
const OWNER_NEW_PASSWORD = "harbour-lantern-58";

/**
 * Chromium logs the expected 401s (Staffgate's sign-in page asking who is signed in; the app's
 * "Sign in needed") and 403s (the app's "Admin Access needed") as failed resources.
 */
const unexpected = (problems: string[]) => problems.filter((problem) => !/status of 40[13]/.test(problem));

describe.skipIf(!browserAvailable)("the Office Portal example app, signing in through Staffgate", () => {
  let officePortal: RunningOfficePortal | undefined;
  const suite = useBrowserSuite({
    hostname: "localhost",
    setUp: async ({ server }) => {
      const { account } = await createAcmeAccount(server);
      await addStaffMember(server, account.id, {
        username: "sam",
        firstName: "Sam",
        lastName: "Rivera",
        password: SAM_PASSWORD,
      });
    },
  });

  beforeAll(async () => {
    const { server } = suite;
    const port = await freePort();
    const app = `http://127.0.0.1:${port}`;
    const { clientId, clientSecret } = await createOidcClient(server.runtime.deps.db, server.runtime.deps, {
      name: "Office Portal example",
      redirectUris: [`${app}/callback`],
      postLogoutRedirectUris: [`${app}/`],
      backchannelLogoutUri: `${app}/backchannel-logout`,
      // On loopback over plain http: registered as in development (`--development`).
      development: true,
    });
    officePortal = await startOfficePortal({
      issuer: `${server.url}/oidc`,
      clientId,
      ...(clientSecret ? { clientSecret } : {}),
      port,
      accountHint: ACME_SLUG,
    });
  });
  afterAll(async () => {
    await officePortal?.close();
  });

  const app = () => {
    if (!officePortal) throw new Error("the example app starts in beforeAll");
    return officePortal;
  };

  /** From the app's welcome page through Staffgate's sign-in page, back to the app signed in. */
  async function signInThroughApp(page: Page, login: string, password: string, name: string): Promise<void> {
    await page.goto(app().url);
    await page.getByText("You are not signed in.").waitFor();
    await expectAccessible(page, "the example app, signed out");
    await page.getByRole("button", { name: "Sign in with Staffgate" }).click();

    await page.getByRole("heading", { name: "Acme Swim" }).waitFor();
    expect(page.url()).toMatch(new RegExp(`^${suite.server.url}/a/${ACME_SLUG}/login`));
    await expectAccessible(page, "Staffgate's sign-in page, reached from the example app");
    await screenshot(page, "office-portal-staffgate-sign-in");
    await submitLogin(page, login, password);

    await page.getByText(`Signed in as ${name} at Acme Swim`).waitFor();
    expect(new URL(page.url()).origin).toBe(app().url);
    await expectAccessible(page, "the example app, signed in");
  }

  /** Delivers what Staffgate's outbox holds now (its worker also runs in the background). */
  async function deliverOutbox(server: RunningServer): Promise<void> {
    while ((await server.runtime.outboxWorker.runOnce()) > 0) {
      // a pass claims one batch
    }
  }

  it(
    "the owner signs in through Staffgate, opens the admin page, changes her password in Staffgate and is signed out of the app",
    { timeout: 120_000 },
    async () => {
      const { page, problems } = await suite.newPage();
      await signInThroughApp(page, "admin", OWNER_PASSWORD, "Olivia Harper");
      await screenshot(page, "office-portal-signed-in");
      expect(app().sessions.size).toBe(1);

      await page.getByRole("link", { name: "Admin page" }).click();
      await page.getByRole("heading", { name: "Admin", exact: true }).waitFor();
      await page.getByText("Only people with Admin Access at Acme Swim can open this page.").waitFor();
      await expectAccessible(page, "the example app's admin page");

      // In Staffgate (signed in there by the same sign-in), Olivia changes her own password.
      await page.goto(`${suite.server.url}/a/${ACME_SLUG}`);
      await page.getByText("Signed in as Olivia Harper").waitFor();
      await page.getByRole("button", { name: "Change password" }).click();
      await page.getByRole("heading", { name: "Change password" }).waitFor();
      await expectAccessible(page, "Staffgate's Change password page");
      await page.getByLabel("Current password", { exact: true }).fill(OWNER_PASSWORD);
      await page.getByLabel("New password", { exact: true }).fill(OWNER_NEW_PASSWORD);
      await page.getByLabel("Confirm new password", { exact: true }).fill(OWNER_NEW_PASSWORD);
      await page.getByRole("button", { name: "Change password" }).click();
      await page.getByText("Your password was changed. Sign in with your new password.").waitFor();
      await expectAccessible(page, "Staffgate's sign-in page after the password change");

      // The change queued a logout token for the app; once delivered, the app's session is gone.
      await deliverOutbox(suite.server);
      await expect.poll(() => app().sessions.size, { timeout: 15_000 }).toBe(0);
      await page.goto(app().url);
      await page.getByText("You are not signed in.").waitFor();
      await page.goto(`${app().url}/admin`);
      await page.getByRole("heading", { name: "Sign in needed" }).waitFor();
      await expectAccessible(page, "the example app's admin page, signed out by Staffgate");
      await screenshot(page, "office-portal-signed-out");

      const delivered = await suite.server.runtime.deps.db
        .selectFrom("outbox_messages")
        .select(["channel", "status"])
        .where("channel", "=", "backchannel_logout")
        .execute();
      expect(delivered).toEqual([{ channel: "backchannel_logout", status: "sent" }]);
      expect(unexpected(problems)).toEqual([]);
    },
  );

  it("a person without Admin Access is refused the admin page, and told why", { timeout: 90_000 }, async () => {
    const { page, problems } = await suite.newPage();
    await signInThroughApp(page, "sam", SAM_PASSWORD, "Sam Rivera");
    await page.getByRole("link", { name: "Admin page" }).click();
    await page.getByRole("heading", { name: "Admin Access needed" }).waitFor();
    await page.getByText("this page is only for people with Admin Access at Acme Swim").waitFor();
    await expectAccessible(page, "the example app refusing its admin page");
    await screenshot(page, "office-portal-admin-refused");
    expect(unexpected(problems)).toEqual([]);
  });
});
