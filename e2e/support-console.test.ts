import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { createSupportAgent } from "../src/modules/support/index.js";
import { ACME_SLUG, createAcmeAccount } from "./support/acme.js";
import { expectAccessible } from "./support/axe.js";
import { browserAvailable, useBrowserSuite } from "./support/browser.js";
import { replaceTemporaryPassword, signInThroughUi, submitLogin } from "./support/portal.js";
import { totpCode } from "../src/modules/two-factor/index.js";
import { screenshotAtTwoWidths } from "./support/screenshots.js";

const OWNER_NEW_PASSWORD = "harbour-signal-comet-62";
const ANN = { email: "ann@staffgate.example", name: "Ann Agent", password: "granite-orchard-lamp-19" };
const BOB = { email: "bob@staffgate.example", name: "Bob Agent", password: "copper-meadow-kite-27" };

describe.skipIf(!browserAvailable)("the vendor support console in the browser", () => {
  const suite = useBrowserSuite({
    setUp: async ({ server }) => {
      const { deps } = server.runtime;
      await createAcmeAccount(server, {
        billingPostalCode: "94110",
        cardLast4: "4242",
        businessPhone: "+1 415 555 0100",
      });
      await createSupportAgent(deps, ANN);
      await createSupportAgent(deps, BOB);
    },
  });

  /** Chromium logs the expected 401 (signed out, wrong password) and 403 answers as failed resources. */
  const unexpected = (problems: string[]) => problems.filter((p) => !/status of 40[13]/.test(p));

  /** Authenticator secrets the agents set up, and the last 30-second step each code was used for. */
  const agentApps = new Map<string, { secret: string; lastStep: number }>();

  /**
   * The second step every agent takes: the first time, set up an authenticator app (the test
   * reads the key off the page and computes codes, as the app would); later, type its code.
   */
  async function secondStep(page: Page, agent: { email: string }): Promise<void> {
    const setUp = page.getByRole("heading", { name: "Set up two-step sign-in" });
    const codeStep = page.getByRole("heading", { name: "Two-step sign-in", exact: true });
    await setUp.or(codeStep).first().waitFor();
    await expectAccessible(page, "the support console's second step");
    if (await setUp.isVisible()) {
      const key = ((await page.locator(".totp-secret").textContent()) ?? "").replace(/\s/g, "");
      agentApps.set(agent.email, { secret: key, lastStep: -1 });
    }
    const app = agentApps.get(agent.email);
    if (!app) throw new Error(`no authenticator app for ${agent.email}`);
    // A code is accepted once: wait for the next 30-second step if this one's code was used.
    let now = Date.now();
    while (Math.floor(now / 30_000) <= app.lastStep) {
      await page.waitForTimeout(500);
      now = Date.now();
    }
    app.lastStep = Math.floor(now / 30_000);
    await page.getByLabel("Code from your authenticator app").fill(totpCode(app.secret, now));
    await page.getByRole("button", { name: /^(Confirm and sign in|Sign in)$/ }).click();
  }

  async function fillSignIn(page: Page, agent: { email: string; password: string }): Promise<void> {
    await page.getByRole("heading", { name: "Staffgate support console", level: 1 }).waitFor();
    await expectAccessible(page, "the support console's sign-in page");
    await page.getByLabel("Email").fill(agent.email);
    await page.getByLabel("Password", { exact: true }).fill(agent.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await secondStep(page, agent);
  }

  async function signIn(page: Page, agent: { email: string; name: string; password: string }): Promise<void> {
    await page.goto(`${suite.server.url}/support/login`);
    await fillSignIn(page, agent);
    await page.getByText(`Signed in as ${agent.name}`).waitFor();
    await expectAccessible(page, "the support console's search page");
  }

  async function openAcme(page: Page): Promise<void> {
    await page.getByRole("link", { name: "Find a business" }).click();
    await page.getByLabel("Search businesses").fill("Acme");
    const result = page.getByRole("row").filter({ hasText: "Olivia Harper" });
    await result.waitFor();
    expect(await result.textContent()).toContain(`/a/${ACME_SLUG}`);
    await page.getByRole("status").filter({ hasText: "1 business matches “Acme”." }).waitFor();
    expect(new URL(page.url()).search).toBe("?q=Acme");
    await screenshotAtTwoWidths(page, "support-search");
    await expectAccessible(page, "the support console's search results");
    await result.getByRole("link", { name: "Acme Swim" }).click();
    await page.getByRole("heading", { name: "Acme Swim", level: 1 }).waitFor();
    await expectAccessible(page, "the business in the support console");
  }

  async function answer(page: Page, callerName: string, answers: Record<string, string>): Promise<void> {
    await page.getByRole("button", { name: "Start owner recovery" }).click();
    await page.getByRole("heading", { name: "Start owner recovery" }).waitFor();
    await page.getByLabel("Caller's name").fill(callerName);
    for (const [label, value] of Object.entries(answers)) await page.getByLabel(label, { exact: true }).fill(value);
    await screenshotAtTwoWidths(page, "support-start-recovery");
    await expectAccessible(page, "the start-recovery form");
    await page.getByRole("button", { name: "Check answers" }).click();
    await page.getByRole("heading", { name: "Owner recovery case" }).waitFor();
    await expectAccessible(page, "the recovery case");
  }

  it(
    "two agents recover the owner with a temporary password, and the owner must choose a new one",
    { timeout: 90_000 },
    async () => {
      // Signed out, the console sends an agent to its own sign-in page, apart from any Office Portal.
      const ann = await suite.newPage();
      await ann.page.goto(`${suite.server.url}/support`);
      await ann.page.getByRole("heading", { name: "Staffgate support console", level: 1 }).waitFor();
      expect(new URL(ann.page.url()).pathname).toBe("/support/login");
      await ann.page.getByLabel("Email").fill(ANN.email);
      await ann.page.getByLabel("Password", { exact: true }).fill("not-the-password-1");
      await ann.page.getByRole("button", { name: "Sign in" }).click();
      await ann.page.getByRole("alert").filter({ hasText: "The email or password is incorrect." }).waitFor();
      await screenshotAtTwoWidths(ann.page, "support-login");
      await expectAccessible(ann.page, "the support console's sign-in page with a wrong password");
      await ann.page.getByLabel("Password", { exact: true }).fill(ANN.password);
      await ann.page.getByRole("button", { name: "Sign in" }).click();
      await screenshotAtTwoWidths(ann.page, "support-two-step-setup");
      await secondStep(ann.page, ANN);
      await ann.page.getByText(`Signed in as ${ANN.name}`).waitFor();
      expect(new URL(ann.page.url()).pathname).toBe("/support");
      await expectAccessible(ann.page, "the support console's search page");

      // The business: masked contact, which facts are on file, never the facts.
      await openAcme(ann.page);
      const owner = ann.page.getByRole("region", { name: "Business Owner" });
      await owner.getByText("o•••@acme.example").waitFor();
      await owner.getByText("(•••) •••-0100").waitFor();
      const facts = ann.page.getByRole("region", { name: "Verification facts on file" });
      expect(await facts.getByText("On file", { exact: true }).count()).toBe(4);
      const body = (await ann.page.textContent("body")) ?? "";
      expect(body).not.toMatch(/94110|4242|olivia@acme|555 0100/);
      await screenshotAtTwoWidths(ann.page, "support-account");
      await expectAccessible(ann.page, "the business in the support console");

      // Ann opens a case with what the caller says, in their own format.
      await answer(ann.page, "Olivia Harper", {
        "Owner's full name": "olivia harper",
        "Billing postal code": "94-110",
        "Last 4 digits of the card on file": "4242",
        "Business phone number": "(415) 555-0100",
      });
      await ann.page.getByText("Verified: 4 of 4 answers match").waitFor();
      const answers = ann.page.getByRole("region", { name: "The caller's answers" });
      expect(await answers.getByText("Matches", { exact: true }).count()).toBe(4);
      const caseUrl = ann.page.url();
      const caseId = decodeURIComponent(new URL(caseUrl).pathname.split("/").at(-1) ?? "");
      expect(caseId).toMatch(/^case_/);

      // Dual control: the opener can't approve; she is asked to send the case to a second agent.
      await ann.page.getByRole("heading", { name: "A second agent must approve this case" }).waitFor();
      expect(await ann.page.getByRole("button", { name: "Approve" }).count()).toBe(0);
      expect(await ann.page.getByLabel("Case link").inputValue()).toBe(`${suite.server.url}/support/cases/${caseId}`);
      await ann.page.getByRole("button", { name: "Check for approval" }).click();
      await ann.page.getByText(/Not approved yet/).waitFor();
      await screenshotAtTwoWidths(ann.page, "support-case-verified");
      await expectAccessible(ann.page, "the case waiting for approval");
      // The server refuses too, and the page says why.
      const selfApproval = await ann.page.evaluate<{ status: number; message: string }, string>(async (id) => {
        const response = await fetch(`/api/support/recovery-cases/${id}/approve`, { method: "POST" });
        const json = (await response.json()) as { error: { message: string } };
        return { status: response.status, message: json.error.message };
      }, caseId);
      expect(selfApproval).toEqual({
        status: 403,
        message: "A different agent must approve this case: you opened it.",
      });

      // Bob opens the link: he signs in first and lands on the case.
      const bob = await suite.newPage();
      await bob.page.goto(caseUrl);
      await fillSignIn(bob.page, BOB);
      await bob.page.getByText(`Signed in as ${BOB.name}`).waitFor();
      await bob.page.getByText("Verified: 4 of 4 answers match").waitFor();
      expect(bob.page.url()).toBe(caseUrl);
      await bob.page.getByRole("heading", { name: "Approve this case" }).waitFor();
      await screenshotAtTwoWidths(bob.page, "support-case-approve");
      await expectAccessible(bob.page, "the case to approve");
      await bob.page.getByRole("button", { name: "Approve", exact: true }).click();
      const approveDialog = bob.page.getByRole("alertdialog", { name: "Approve this recovery case?" });
      await approveDialog.waitFor();
      await screenshotAtTwoWidths(bob.page, "support-case-approve-dialog");
      await expectAccessible(bob.page, "the approve question");
      await approveDialog.getByRole("button", { name: "Approve case" }).click();
      await bob.page.getByText("You approved this case.").waitFor();
      await bob.page.getByRole("heading", { name: "Recover the account" }).waitFor();
      await screenshotAtTwoWidths(bob.page, "support-case-approved");
      await expectAccessible(bob.page, "the approved case");
      expect(await bob.page.getByRole("region", { name: "Case details" }).textContent()).toContain("Bob Agent");

      // Ann looks again and creates the temporary password.
      await ann.page.getByRole("button", { name: "Check for approval" }).click();
      await ann.page.getByText(`Approved by ${BOB.name}.`).waitFor();
      await expectAccessible(ann.page, "the approved case, seen by the opener");
      await ann.page.getByRole("button", { name: "Create a temporary password" }).click();
      const createDialog = ann.page.getByRole("alertdialog", { name: "Create a temporary password?" });
      await createDialog.getByRole("button", { name: "Create temporary password" }).click();
      const box = ann.page.locator("[data-temporary-password]");
      await box.waitFor();
      const temporaryPassword = ((await box.textContent()) ?? "").trim();
      expect(temporaryPassword).toMatch(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/);
      await ann.page.getByText(/It won't be shown again/).waitFor();
      await ann.page.getByText("The owner must change it the first time they sign in.", { exact: false }).waitFor();
      await screenshotAtTwoWidths(ann.page, "support-temporary-password");
      await expectAccessible(ann.page, "the temporary password");

      // Bob's view, reloaded: completed, and the password is nowhere.
      await bob.page.reload();
      await bob.page.getByRole("heading", { name: "Recovery completed" }).waitFor();
      await expectAccessible(bob.page, "the completed case");
      expect(await bob.page.getByRole("region", { name: "Recovery completed" }).textContent()).toContain(
        "Ann Agent created a temporary password",
      );
      expect(await bob.page.content()).not.toContain(temporaryPassword);

      // The owner signs in with it, must choose a new password, and signs in with that.
      const olivia = await suite.newPage();
      await signInThroughUi(olivia.page, suite.server.url, ACME_SLUG, "admin", temporaryPassword);
      await replaceTemporaryPassword(olivia.page, temporaryPassword, OWNER_NEW_PASSWORD);
      await submitLogin(olivia.page, "admin", OWNER_NEW_PASSWORD);
      await olivia.page.getByText("Signed in as Olivia Harper").waitFor();
      await expectAccessible(olivia.page, "the owner's home page");

      // Sign out of the console.
      await ann.page.getByRole("button", { name: "Sign out" }).click();
      await ann.page.getByText("You have been signed out of the support console.").waitFor();
      await expectAccessible(ann.page, "the support console, signed out");
      await ann.page.goto(caseUrl);
      await ann.page.getByRole("heading", { name: "Staffgate support console", level: 1 }).waitFor();

      for (const { problems } of [ann, bob, olivia]) expect(unexpected(problems)).toEqual([]);
    },
  );

  it(
    "after approval, the owner can be sent a reset link to the email on file instead",
    { timeout: 90_000 },
    async () => {
      const ann = await suite.newPage();
      await signIn(ann.page, ANN);
      await openAcme(ann.page);
      await answer(ann.page, "Olivia Harper", {
        "Owner's full name": "Olivia Harper",
        "Billing postal code": "94110",
        "Last 4 digits of the card on file": "4242",
      });
      await ann.page.getByText("Verified: 3 of 4 answers match").waitFor();
      const caseUrl = ann.page.url();

      const bob = await suite.newPage();
      await signIn(bob.page, BOB);
      await bob.page.goto(caseUrl);
      await bob.page.getByRole("button", { name: "Approve", exact: true }).click();
      await bob.page.getByRole("alertdialog").getByRole("button", { name: "Approve case" }).click();
      await bob.page.getByRole("button", { name: "Email a reset link to the owner's address on file" }).click();
      await bob.page.getByRole("alertdialog").getByRole("button", { name: "Send reset link" }).click();
      await bob.page.getByText("A reset link was emailed to o•••@acme.example.").waitFor();
      await screenshotAtTwoWidths(bob.page, "support-case-email-sent");
      await expectAccessible(bob.page, "the case, reset link sent");

      // Ann, on the case she opened, now sees it done.
      await ann.page.getByRole("button", { name: "Check for approval" }).click();
      await ann.page.getByRole("heading", { name: "Recovery completed" }).waitFor();
      await expectAccessible(ann.page, "the completed case, seen by the opener");
      expect(await ann.page.getByRole("region", { name: "Recovery completed" }).textContent()).toContain(
        "Bob Agent emailed a reset link to the Business Owner's address on file.",
      );
      for (const { problems } of [ann, bob]) expect(unexpected(problems)).toEqual([]);
    },
  );

  it(
    "lost phone: after approval, the owner's two-step sign-in is removed and the password still works",
    { timeout: 120_000 },
    async () => {
      // The owner set up an authenticator app earlier (through the API, as the home page does).
      const ownerPassword = OWNER_NEW_PASSWORD;
      const portal = (path: string, init: { method: string; cookie?: string; body?: unknown }) =>
        fetch(`${suite.server.url}/api/accounts/${ACME_SLUG}${path}`, {
          method: init.method,
          headers: {
            Origin: suite.server.url,
            "Content-Type": "application/json",
            ...(init.cookie ? { Cookie: init.cookie } : {}),
          },
          body: JSON.stringify(init.body ?? {}),
        });
      const signedIn = await portal("/session", { method: "POST", body: { login: "admin", password: ownerPassword } });
      const cookie = (signedIn.headers.getSetCookie()[0] ?? "").split(";")[0] ?? "";
      const setup = (await (await portal("/me/totp", { method: "POST", cookie })).json()) as { secret: string };
      const confirmed = await portal("/me/totp", {
        method: "PUT",
        cookie,
        body: { totpCode: totpCode(setup.secret.replace(/\s/g, ""), Date.now()) },
      });
      expect(confirmed.status).toBe(200);
      const before = await portal("/session", { method: "POST", body: { login: "admin", password: ownerPassword } });
      expect(((await before.json()) as { secondFactorRequired?: boolean }).secondFactorRequired).toBe(true);

      const ann = await suite.newPage();
      await signIn(ann.page, ANN);
      await openAcme(ann.page);
      await answer(ann.page, "Olivia Harper", {
        "Owner's full name": "Olivia Harper",
        "Billing postal code": "94110",
        "Last 4 digits of the card on file": "4242",
      });
      const caseUrl = ann.page.url();
      const bob = await suite.newPage();
      await signIn(bob.page, BOB);
      await bob.page.goto(caseUrl);
      await bob.page.getByRole("button", { name: "Approve", exact: true }).click();
      await bob.page.getByRole("alertdialog").getByRole("button", { name: "Approve case" }).click();
      await bob.page.getByRole("button", { name: "Remove the owner's two-step sign-in" }).click();
      await bob.page.getByRole("alertdialog").getByRole("button", { name: "Remove two-step sign-in" }).click();
      await bob.page.getByRole("heading", { name: "Two-step sign-in removed" }).waitFor();
      await screenshotAtTwoWidths(bob.page, "support-case-two-factor-reset");
      await expectAccessible(bob.page, "the case, two-step sign-in removed");

      // The password alone signs the owner in again.
      const after = await portal("/session", { method: "POST", body: { login: "admin", password: ownerPassword } });
      const body = (await after.json()) as { staff?: { twoFactor: { totp: boolean } } };
      expect(body.staff?.twoFactor.totp).toBe(false);
      for (const { problems } of [ann, bob]) expect(unexpected(problems)).toEqual([]);
    },
  );

  it(
    "a wrong answer rejects the case; too few answers are caught before a case is opened; credits are granted",
    { timeout: 90_000 },
    async () => {
      const { page, problems } = await suite.newPage();
      await signIn(page, BOB);
      await openAcme(page);

      // Fewer than 3 answers: refused on the page, no case is used up.
      await page.getByRole("button", { name: "Start owner recovery" }).click();
      await page.getByLabel("Caller's name").fill("Someone");
      await page.getByLabel("Owner's full name", { exact: true }).fill("Olivia Harper");
      await page.getByRole("button", { name: "Check answers" }).click();
      await page.getByRole("alert").filter({ hasText: "Enter at least 3 answers" }).waitFor();
      await expectAccessible(page, "the start-recovery form with too few answers");
      await page.getByRole("link", { name: "Cancel" }).click();
      await page.getByRole("heading", { name: "Acme Swim", level: 1 }).waitFor();

      await answer(page, "Olivia?", {
        "Owner's full name": "Olivia Harper",
        "Billing postal code": "10001",
        "Last 4 digits of the card on file": "4242",
        "Business phone number": "415 555 0100",
      });
      await page.getByText("Rejected: an answer did not match — this case can't continue").waitFor();
      const answers = page.getByRole("region", { name: "The caller's answers" });
      const postal = answers.getByRole("listitem").filter({ hasText: "Billing postal code" });
      expect(await postal.textContent()).toContain("Does not match");
      expect(await page.getByRole("button", { name: "Approve" }).count()).toBe(0);
      expect(await page.getByRole("button", { name: "Create a temporary password" }).count()).toBe(0);
      await screenshotAtTwoWidths(page, "support-case-rejected");
      await expectAccessible(page, "the rejected case");

      // Back on the business: the case is listed with its status; grant credits.
      await page.getByRole("link", { name: "Back to Acme Swim" }).click();
      const cases = page.getByRole("region", { name: "Recent recovery cases" });
      await cases.getByText("Rejected", { exact: true }).waitFor();
      await page.getByLabel("Amount").fill("0");
      await page.getByLabel("Reason").fill("Goodwill");
      await page.getByRole("button", { name: "Grant credits" }).click();
      await page.getByText("Enter a whole number from 1 to 100,000.").waitFor();
      await expectAccessible(page, "the grant form with a wrong amount");
      await page.getByLabel("Amount").fill("250");
      await page.getByRole("button", { name: "Grant credits" }).click();
      const dialog = page.getByRole("alertdialog", { name: "Grant 250 credits to Acme Swim?" });
      await dialog.getByText("The balance goes from 0 credits to 250 credits.").waitFor();
      await expectAccessible(page, "the grant question");
      await dialog.getByRole("button", { name: "Grant credits" }).click();
      await page.getByRole("status").filter({ hasText: "Granted 250 credits. New balance: 250 credits." }).waitFor();
      const usage = page.getByRole("region", { name: "Staff and text messages" });
      expect(await usage.getByRole("definition").nth(2).textContent()).toBe("250");
      await screenshotAtTwoWidths(page, "support-account-after-grant");
      await expectAccessible(page, "the business after the grant");
      const ledger = await suite.server.runtime.deps.db.selectFrom("sms_credit_ledger").selectAll().execute();
      expect(ledger).toEqual([expect.objectContaining({ change: 250, reason: "Goodwill" })]);

      // The session ends on the server (as after 30 idle minutes): the next request leads to the
      // sign-in page with a notice, and signing in returns to where the agent was.
      await suite.server.runtime.deps.db.deleteFrom("support_sessions").execute();
      await page.getByRole("link", { name: "Find a business" }).click();
      await page.getByLabel("Search businesses").fill("harper");
      await page.getByText("Your support session has ended").waitFor();
      await expectAccessible(page, "the support console's sign-in page after the session ended");
      await fillSignIn(page, BOB);
      await page.getByRole("row").filter({ hasText: "Acme Swim" }).waitFor();
      expect(new URL(page.url()).search).toBe("?q=harper");
      await expectAccessible(page, "the search results after signing in again");

      expect(unexpected(problems)).toEqual([]);
    },
  );
});
