// The supervisor's step in the vendor support console: when the facts aren't on file (or an
// answer doesn't match), the agent sends the case to a supervisor with a note instead of leaving
// the owner stuck; a supervisor who didn't open it finds it in their list and approves it (the
// case then goes on, two people behind it) or closes it. At a desktop and a phone width.
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { createSupportAgent } from "../src/modules/support/index.js";
import { ACME_SLUG, createAcmeAccount } from "./support/acme.js";
import { expectAccessible } from "./support/axe.js";
import { browserAvailable, useBrowserSuite, type BrowserSuite } from "./support/browser.js";
import { isFocused } from "./support/portal.js";
import { screenshot } from "./support/screenshots.js";
import { authenticatorApp, type AuthenticatorApp } from "./support/two-factor.js";

const SIZES = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const;

const ANN = { email: "ann@staffgate.example", name: "Ann Agent", password: "granite-orchard-lamp-19" };
const SUE = { email: "sue@staffgate.example", name: "Sue Lead", password: "harbor-signal-violet-42" };
type Agent = typeof ANN;

/** Chromium logs the expected 401 (signed out at first) answers as failed resources. */
const unexpected = (problems: string[]) => problems.filter((p) => !/status of 401/.test(p));

describe.skipIf(!browserAvailable).each(SIZES)(
  "the supervisor's step in the support console, $width×$height",
  (size) => {
    const suite = useBrowserSuite({
      setUp: async ({ server }) => {
        // Only the business phone is on file: the postal code and card were never recorded.
        await createAcmeAccount(server, { billingPostalCode: undefined, cardLast4: undefined });
        await createSupportAgent(server.runtime.deps, ANN);
        await createSupportAgent(server.runtime.deps, { ...SUE, supervisor: true });
      },
    });
    const shot = (page: Page, name: string) => screenshot(page, `support-supervisor-${name}-${size.width}`);

    /** Each agent's authenticator app, set up at their first sign-in on this server. */
    const apps = new Map<string, AuthenticatorApp>();

    async function signIn(suiteNow: BrowserSuite, agent: Agent, path = "/support") {
      const opened = await suiteNow.newPage(size.width);
      const { page } = opened;
      await page.setViewportSize(size);
      await page.goto(`${suiteNow.server.url}${path}`);
      await page.getByRole("heading", { name: "Staffgate support console", level: 1 }).waitFor();
      await page.getByLabel("Email").fill(agent.email);
      await page.getByLabel("Password", { exact: true }).fill(agent.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      const setUp = page.getByRole("heading", { name: "Set up two-step sign-in" });
      const codeStep = page.getByRole("heading", { name: "Two-step sign-in", exact: true });
      await setUp.or(codeStep).first().waitFor();
      if (await setUp.isVisible()) {
        apps.set(agent.email, authenticatorApp((await page.locator(".totp-secret").textContent()) ?? ""));
      }
      const app = apps.get(agent.email);
      if (!app) throw new Error(`no authenticator app for ${agent.email}`);
      await page.getByLabel("Code from your authenticator app").fill(await app.code());
      await page.getByRole("button", { name: /^(Confirm and sign in|Sign in)$/ }).click();
      await page.getByText(`Signed in as ${agent.name}`).waitFor();
      return opened;
    }

    /** Ann opens a case for Acme Swim with the caller's answers and lands on it. */
    async function openCase(page: Page, callerName: string, answers: Record<string, string>): Promise<string> {
      await page.goto(`${suite.server.url}/support/accounts/${ACME_SLUG}/recovery`);
      await page.getByRole("heading", { name: "Start owner recovery" }).waitFor();
      await page.getByLabel("Caller's name").fill(callerName);
      // Too few facts on file to verify anyone: the form still opens a case, for a supervisor to decide.
      await page.getByText(/so the answers alone can't verify its owner/).waitFor();
      expect(await page.getByLabel("Billing postal code", { exact: true }).isDisabled()).toBe(true);
      for (const [label, value] of Object.entries(answers)) await page.getByLabel(label, { exact: true }).fill(value);
      await shot(page, "start-recovery");
      await expectAccessible(page, "the start-recovery form with facts missing");
      await page.getByRole("button", { name: "Check answers" }).click();
      await page.getByRole("heading", { name: "Owner recovery case" }).waitFor();
      return page.url();
    }

    async function sendToSupervisor(page: Page, note: string): Promise<void> {
      const panel = page.getByRole("region", { name: "Send to a supervisor" });
      await panel.getByLabel("Note for the supervisor").fill(note);
      await panel.getByRole("button", { name: "Send to a supervisor" }).click();
      await page.getByRole("heading", { name: "Waiting for a supervisor", level: 2 }).waitFor();
    }

    async function auditActions(): Promise<{ action: string; by: string | null }[]> {
      const rows = await suite.server.runtime.deps.db
        .selectFrom("audit_events")
        .select(["action", "actor_name"])
        .where("action", "like", "support.recovery_case_%")
        .orderBy("at")
        .orderBy("id")
        .execute();
      return rows.map((row) => ({ action: row.action, by: row.actor_name }));
    }

    it(
      "facts not on file: Ann sends the case to a supervisor, Sue approves it, and Ann recovers the owner",
      { timeout: 120_000 },
      async () => {
        const ann = await signIn(suite, ANN);
        await expectAccessible(ann.page, "the console for an agent who isn't a supervisor");
        expect(await ann.page.getByRole("heading", { name: "Cases waiting for a supervisor" }).count()).toBe(0);

        // The business page says which facts are missing; the caller knows the name and the phone.
        await ann.page.goto(`${suite.server.url}/support/accounts/${ACME_SLUG}`);
        const facts = ann.page.getByRole("region", { name: "Verification facts on file" });
        await facts.waitFor();
        expect(await facts.getByText("On file", { exact: true }).count()).toBe(2);
        const caseUrl = await openCase(ann.page, "Olivia on the phone", {
          "Owner's full name": "Olivia Harper",
          "Business phone number": "(415) 555-0100",
        });
        await ann.page.getByText("Not verified: at least 3 answers must match").waitFor();
        await ann.page.getByText(/2 of 4 answers match; 2 weren't given or aren't on file/).waitFor();

        // The next step is real: a note is required, then the case waits for a supervisor.
        const send = ann.page.getByRole("region", { name: "Send to a supervisor" });
        await shot(ann.page, "unverified");
        await expectAccessible(ann.page, "an unverified case with its next step");
        await send.getByRole("button", { name: "Send to a supervisor" }).click();
        await send.getByRole("alert").filter({ hasText: "Write a note for the supervisor." }).waitFor();
        await expect.poll(() => isFocused(send.getByLabel("Note for the supervisor"))).toBe(true);
        await expectAccessible(ann.page, "the note to the supervisor, missing");
        await sendToSupervisor(
          ann.page,
          "Postal code and card aren't on file. Caller can receive a call on the business phone.",
        );
        await ann.page.locator(".case-heading").getByText("Waiting for a supervisor", { exact: true }).waitFor();
        await ann.page.getByText("Caller can receive a call on the business phone.", { exact: false }).waitFor();
        expect(await ann.page.getByRole("button", { name: "Approve" }).count()).toBe(0);
        await ann.page.getByRole("button", { name: "Check for a decision" }).click();
        await ann.page.getByText(/No decision yet/).waitFor();
        await shot(ann.page, "waiting");
        await expectAccessible(ann.page, "a case waiting for a supervisor");

        // Sue, a supervisor, finds it in her list on the console's first page.
        const sue = await signIn(suite, SUE);
        const queue = sue.page.getByRole("region", { name: "Cases waiting for a supervisor" });
        const row = queue.getByRole("row").filter({ hasText: "Olivia on the phone" });
        await row.waitFor();
        expect(await row.textContent()).toContain("Ann Agent");
        await shot(sue.page, "queue");
        await expectAccessible(sue.page, "the supervisor's list of waiting cases");
        await row.getByRole("link", { name: /^Acme Swim/ }).click();
        const decide = sue.page.getByRole("region", { name: "Decide this case" });
        await decide.waitFor();
        expect(sue.page.url()).toBe(caseUrl);
        await decide.getByText("Postal code and card aren't on file.", { exact: false }).waitFor();
        await decide.getByRole("button", { name: "Approve" }).click();
        await decide.getByRole("alert").filter({ hasText: "Write a note" }).waitFor();
        await expectAccessible(sue.page, "the supervisor's decision without a note");
        await decide.getByLabel("Your note").fill("Called the owner back on the business phone on file.");
        await decide.getByRole("button", { name: "Approve" }).click();
        const dialog = sue.page.getByRole("alertdialog", { name: "Approve this case?" });
        await dialog.waitFor();
        await shot(sue.page, "approve-dialog");
        await expectAccessible(sue.page, "the supervisor's approve question");
        await dialog.getByRole("button", { name: "Approve case" }).click();
        await sue.page.getByRole("heading", { name: "Recover the account" }).waitFor();
        await sue.page.getByText("You approved this case.").waitFor();
        await sue.page.getByText(/^Approved by a supervisor: 2 of 4 answers match/).waitFor();
        await shot(sue.page, "approved");
        await expectAccessible(sue.page, "the case the supervisor approved");

        // Dual control intact: Ann opened it, Sue approved it; Ann now completes it.
        await ann.page.getByRole("button", { name: "Check for a decision" }).click();
        await ann.page.getByText(`Approved by ${SUE.name}.`).waitFor();
        await expectAccessible(ann.page, "the approved case, seen by the opener");
        await ann.page.getByRole("button", { name: "Email a reset link to the owner's address on file" }).click();
        await ann.page.getByRole("alertdialog").getByRole("button", { name: "Send reset link" }).click();
        await ann.page.getByText("A reset link was emailed to o•••@acme.example.").waitFor();
        await expectAccessible(ann.page, "the case, reset link sent");

        // Sue's list is empty again.
        await sue.page.getByRole("link", { name: "Find a business" }).click();
        await queue.getByText("No cases are waiting for a supervisor.").waitFor();
        await expectAccessible(sue.page, "the supervisor's empty list");

        expect(await auditActions()).toEqual(
          expect.arrayContaining([
            { action: "support.recovery_case_escalated", by: "Ann Agent" },
            { action: "support.recovery_case_supervisor_approved", by: "Sue Lead" },
          ]),
        );
        for (const { problems } of [ann, sue]) expect(unexpected(problems)).toEqual([]);
      },
    );

    it("a case with a wrong answer goes to a supervisor, who closes it", { timeout: 120_000 }, async () => {
      const ann = await signIn(suite, ANN);
      const caseUrl = await openCase(ann.page, "Someone else", {
        "Owner's full name": "Olivia Harper",
        "Business phone number": "+1 415 555 9999",
      });
      await ann.page.getByText("Rejected: an answer did not match — this case can't continue").waitFor();
      await expectAccessible(ann.page, "a rejected case with its next step");
      await sendToSupervisor(ann.page, "Caller insists she is the owner but gave another phone number.");

      const sue = await signIn(suite, SUE, new URL(caseUrl).pathname);
      const decide = sue.page.getByRole("region", { name: "Decide this case" });
      await decide.getByLabel("Your note").fill("The owner on file didn't answer; the caller couldn't prove it.");
      await decide.getByRole("button", { name: "Close case" }).click();
      const dialog = sue.page.getByRole("alertdialog", { name: "Close this case?" });
      await dialog.waitFor();
      await expectAccessible(sue.page, "the supervisor's close question");
      await dialog.getByRole("button", { name: "Close case" }).click();
      const closed = sue.page.getByRole("region", { name: "Closed by a supervisor" });
      await closed.getByText("The owner on file didn't answer", { exact: false }).waitFor();
      await sue.page.locator(".case-heading").getByText("Closed by a supervisor", { exact: true }).waitFor();
      await shot(sue.page, "closed");
      await expectAccessible(sue.page, "the closed case");

      // Ann sees it closed, and the business lists it so.
      await ann.page.reload();
      await ann.page.getByRole("region", { name: "Closed by a supervisor" }).waitFor();
      expect(
        await ann.page.getByRole("button", { name: /Email a reset link|Create a temporary password/ }).count(),
      ).toBe(0);
      await expectAccessible(ann.page, "the closed case, seen by the opener");
      await ann.page.getByRole("link", { name: "Back to Acme Swim" }).click();
      const cases = ann.page.getByRole("region", { name: "Recent recovery cases" });
      await cases.getByText("Closed by a supervisor", { exact: true }).waitFor();
      await shot(ann.page, "business-cases");
      await expectAccessible(ann.page, "the business with its closed case");

      expect(await auditActions()).toEqual(
        expect.arrayContaining([
          { action: "support.recovery_case_escalated", by: "Ann Agent" },
          { action: "support.recovery_case_closed", by: "Sue Lead" },
        ]),
      );
      for (const { problems } of [ann, sue]) expect(unexpected(problems)).toEqual([]);
    });
  },
);
