import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { grantCredits } from "../src/modules/sms-credits/index.js";
import { startSmtpServer, type TestSmtpServer } from "../test/support/smtp.js";
import { startFakeTwilio, tokenFromText, twilioEnv, type FakeTwilio } from "../test/support/twilio.js";
import { ACME_SLUG, addStaffMember, createAcmeAccount, signInAsOwner } from "./support/acme.js";
import { expectAccessible } from "./support/axe.js";
import { browserAvailable, useBrowserSuite } from "./support/browser.js";
import { requirement, submitLogin } from "./support/portal.js";
import { screenshot } from "./support/screenshots.js";

const SAM_PASSWORD = "front-desk-pass-1";
const SAM_NEW_PASSWORD = "lane-rope-sunrise-64";
const SAM_NUMBER = "+14155550100";
const MASKED_NUMBER = "(•••) •••-0100";
const SMS_OFF = "SMS/Voice messaging is turned off for this business. It can be turned on in Settings.";
const GRANT_REASON = "Starter credits";

describe.skipIf(!browserAvailable)("Reset Password Via SMS on the STAFF page, with a fake Twilio", () => {
  let twilio: FakeTwilio;
  beforeAll(async () => {
    twilio = await startFakeTwilio();
  });
  afterAll(async () => {
    await twilio?.close();
  });
  const suite = useBrowserSuite({
    env: () => twilioEnv(twilio),
    setUp: async ({ server }) => {
      const { deps } = server.runtime;
      const { account } = await createAcmeAccount(server);
      await addStaffMember(server, account.id, {
        username: "sam",
        firstName: "Sam",
        lastName: "Rivera",
        email: "sam@acme.example",
        mobilePhone: "+1 415 555 0100",
        smsOptIn: true,
        password: SAM_PASSWORD,
      });
      await grantCredits(deps.db, deps, {
        accountId: account.id,
        amount: 3,
        reason: GRANT_REASON,
        source: "support",
        actor: { type: "support_agent", id: null, name: "Staffgate Support" },
      });
    },
  });

  /** Chromium logs the expected 401 (signed out) and 409 (SMS off) answers as failed resources. */
  const unexpected = (problems: string[]) => problems.filter((p) => !/status of 40[19]/.test(p));

  async function openSettings(page: Page): Promise<Locator> {
    await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Settings" }).click();
    await page.getByRole("heading", { name: "Settings", level: 1 }).waitFor();
    const credits = page.getByRole("region", { name: "SMS credits" });
    await credits.getByRole("table").waitFor();
    return credits;
  }

  async function setSmsVoice(page: Page, on: boolean): Promise<void> {
    await openSettings(page);
    await page.getByLabel("SMS/Voice messaging enabled").setChecked(on);
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByRole("status").filter({ hasText: "Settings saved." }).waitFor();
    await expectAccessible(page, "the settings page, saved");
  }

  interface LedgerRow {
    /** What is shown ("+3", "−1") and what a screen reader hears ("Added 3", "Used 1"). */
    change: string;
    said: string;
    balance: string;
    reason: string;
    by: string;
  }

  /** The ledger's rows, newest first (without the time). */
  async function ledgerRows(credits: Locator): Promise<LedgerRow[]> {
    const rows = await credits.getByRole("table").locator("tbody tr").all();
    return Promise.all(
      rows.map(async (row) => {
        const cells = row.locator("td");
        const text = async (cell: Locator) => ((await cell.textContent()) ?? "").trim();
        return {
          change: await text(cells.nth(1).locator('[aria-hidden="true"]')),
          said: await text(cells.nth(1).locator(".visually-hidden")),
          balance: await text(cells.nth(2)),
          reason: await text(cells.nth(3)),
          by: await text(cells.nth(4)),
        };
      }),
    );
  }

  const GRANT_ROW: LedgerRow = {
    change: "+3",
    said: "Added 3",
    balance: "3",
    reason: GRANT_REASON,
    by: "Staffgate Support",
  };

  const balanceNow = async () =>
    (
      await suite.server.runtime.deps.db
        .selectFrom("accounts")
        .select("sms_credits")
        .where("slug", "=", ACME_SLUG)
        .executeTakeFirstOrThrow()
    ).sms_credits;

  async function openSam(page: Page): Promise<Locator> {
    await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Staff" }).click();
    await page.getByRole("heading", { name: "Staff", level: 1 }).waitFor();
    await page.getByRole("button", { name: "Edit Sam Rivera" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit Sam Rivera" });
    await dialog.waitFor();
    await expectAccessible(page, "the edit window");
    return dialog;
  }

  const textsToSam = () => twilio.messages.filter((m) => m.to === SAM_NUMBER);

  it(
    "the owner texts Sam a reset link for 1 credit; Sam sets a new password with it and signs in",
    { timeout: 90_000 },
    async () => {
      const { page, problems } = await signInAsOwner(suite);

      // Settings: SMS/Voice on; the balance and the grant in the ledger.
      await setSmsVoice(page, true);
      const credits = page.getByRole("region", { name: "SMS credits" });
      expect(await credits.locator(".credit-balance").innerText()).toBe("3 credits left");
      expect(await ledgerRows(credits)).toEqual([GRANT_ROW]);
      await screenshot(page, "sms-settings-before");
      await expectAccessible(page, "the settings page with SMS credits");

      // STAFF → Sam → Reset Password Via SMS, behind a confirmation with the masked number and the cost.
      const dialog = await openSam(page);
      const smsButton = dialog.getByRole("button", { name: "Reset Password Via SMS" });
      // The cost shows once the window has the fresh settings.
      await dialog.getByText("Uses 1 SMS credit — 3 left.").waitFor();
      expect(await smsButton.getAttribute("aria-disabled")).toBeNull();
      await smsButton.click();
      const confirm = page.getByRole("alertdialog", { name: "Send a password reset link by text message?" });
      await confirm.waitFor();
      const confirmText = await confirm.innerText();
      // Before sending, the number only by its last digits (the same in every country's way of
      // writing it); once sent, as the server masked it in the number's own national form.
      expect(confirmText).toContain("the mobile number ending in 0100");
      expect(confirmText).not.toContain("555");
      expect(confirmText).toContain("Uses 1 SMS credit — 3 left");
      expect(confirmText).toContain("works once, for 10 minutes");
      await screenshot(page, "sms-confirm");
      await expectAccessible(page, "the SMS confirmation");
      expect(textsToSam()).toHaveLength(0);
      await confirm.getByRole("button", { name: "Send text" }).click();
      await confirm.waitFor({ state: "detached" });
      await dialog
        .getByRole("status")
        .filter({ hasText: `Reset link sent to ${MASKED_NUMBER}. 2 credits left.` })
        .waitFor();
      await dialog.getByText("Uses 1 SMS credit — 2 left.").waitFor();
      await screenshot(page, "sms-sent");
      await expectAccessible(page, "the edit window, text sent");

      // The text: one segment, naming the business, with the link.
      await expect.poll(() => textsToSam().length, { timeout: 10_000, interval: 100 }).toBe(1);
      const text = textsToSam()[0]!;
      expect(text.from).toBe("+15550001111");
      expect(text.body.length).toBeLessThanOrEqual(160);
      expect(text.body).toContain("Acme Swim");
      const link = `${suite.server.url}/reset-password#token=${tokenFromText(text.body)}`;
      expect(text.body).toContain(link);

      // Sam opens the link on their own device and chooses a new password.
      const sam = await suite.newPage();
      await sam.page.goto(link);
      await sam.page.getByRole("heading", { name: "Choose a new password" }).waitFor();
      expect(sam.page.url()).toBe(`${suite.server.url}/reset-password`);
      await sam.page.getByText("For sam at Acme Swim.").waitFor();
      await expectAccessible(sam.page, "the reset page from a text");
      await sam.page.getByLabel("New password", { exact: true }).fill(SAM_NEW_PASSWORD);
      await requirement(sam.page, "common", "met").waitFor();
      await sam.page.getByLabel("Confirm new password", { exact: true }).fill(SAM_NEW_PASSWORD);
      await sam.page.getByRole("button", { name: "Set new password" }).click();
      await sam.page.getByRole("heading", { name: "Your password has been changed" }).waitFor();
      await screenshot(sam.page, "sms-reset-done");
      await expectAccessible(sam.page, "the password changed page");
      await sam.page.getByRole("link", { name: "Go to sign in" }).click();
      await sam.page.getByText("Your password was changed. Sign in with your new password.").waitFor();
      await submitLogin(sam.page, "sam", SAM_NEW_PASSWORD);
      await sam.page.getByText("Signed in as Sam Rivera").waitFor();
      await expectAccessible(sam.page, "Sam's home page");
      expect(unexpected(sam.problems)).toEqual([]);

      // Back as the owner: 2 credits, and the debit on top of the ledger.
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "detached" });
      const after = await openSettings(page);
      expect(await after.locator(".credit-balance").innerText()).toBe("2 credits left");
      expect(await ledgerRows(after)).toEqual([
        {
          change: "−1",
          said: "Used 1",
          balance: "2",
          reason: "Password reset link by SMS to Sam Rivera",
          by: "Olivia Harper",
        },
        GRANT_ROW,
      ]);
      await screenshot(page, "sms-settings-after");
      await expectAccessible(page, "the settings page after the text");
      expect(textsToSam()).toHaveLength(1);
      expect(unexpected(problems)).toEqual([]);
    },
  );

  it(
    "with SMS/Voice turned off the button is refused, then disabled, with the reason; nothing is charged",
    { timeout: 90_000 },
    async () => {
      const { page, problems } = await signInAsOwner(suite);
      await setSmsVoice(page, true);
      const credits = await balanceNow();
      expect(credits).toBeGreaterThan(0);
      const ledgerBefore = await suite.server.runtime.deps.db.selectFrom("sms_credit_ledger").select("id").execute();
      const textsBefore = textsToSam().length;

      // Sam's window is open with SMS on when another tab turns SMS/Voice off: the server refuses.
      const dialog = await openSam(page);
      const smsButton = dialog.getByRole("button", { name: "Reset Password Via SMS" });
      await dialog.getByText(`Uses 1 SMS credit — ${credits} left.`).waitFor();
      const otherTab = await page.context().newPage();
      otherTab.setDefaultTimeout(10_000);
      await otherTab.goto(`${suite.server.url}/a/${ACME_SLUG}/settings`);
      await setSmsVoice(otherTab, false);
      await otherTab.close();

      await smsButton.click();
      const confirm = page.getByRole("alertdialog", { name: "Send a password reset link by text message?" });
      await confirm.getByRole("button", { name: "Send text" }).click();
      await confirm.getByText(SMS_OFF).waitFor();
      expect(await confirm.getByRole("button", { name: "Send text" }).isDisabled()).toBe(true);
      await screenshot(page, "sms-refused");
      await expectAccessible(page, "the SMS confirmation, refused");
      // The footer's "Close" (the × in the header is also named Close).
      await confirm.locator(".dialog-actions").getByRole("button", { name: "Close" }).click();
      await confirm.waitFor({ state: "detached" });
      // The window now knows: the button stays reachable but is disabled, with the reason beside it.
      await dialog.getByText(SMS_OFF).waitFor();
      expect(await smsButton.getAttribute("aria-disabled")).toBe("true");
      await expectAccessible(page, "the edit window with SMS off");
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "detached" });

      // Opened afresh, the window says so straight away and clicking does nothing.
      const again = await openSam(page);
      const reason = again.getByText(SMS_OFF);
      await reason.waitFor();
      const button = again.getByRole("button", { name: "Reset Password Via SMS" });
      expect(await button.getAttribute("aria-disabled")).toBe("true");
      expect(await button.isDisabled()).toBe(true);
      const describedBy = await button.getAttribute("aria-describedby");
      expect(describedBy).toBeTruthy();
      expect(await reason.getAttribute("id")).toBe(describedBy);
      await screenshot(page, "sms-disabled");
      await expectAccessible(page, "the edit window opened with SMS off");
      await button.click({ force: true });
      expect(await page.getByRole("alertdialog").count()).toBe(0);
      // Email is unaffected.
      expect(
        await again.getByRole("button", { name: "Reset Password Via Email" }).getAttribute("aria-disabled"),
      ).toBeNull();

      expect(await suite.server.runtime.deps.db.selectFrom("sms_credit_ledger").select("id").execute()).toEqual(
        ledgerBefore,
      );
      expect(await balanceNow()).toBe(credits);
      expect(textsToSam()).toHaveLength(textsBefore);
      expect(unexpected(problems)).toEqual([]);
    },
  );
});

describe.skipIf(!browserAvailable)("Reset Password Via SMS in production without an SMS provider", () => {
  const SMS_UNAVAILABLE =
    "Text messages can't be sent from this Staffgate installation: no SMS provider is set up. Send the link by email instead, or ask whoever runs Staffgate to set one up.";
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await smtp?.stop();
  });
  const suite = useBrowserSuite({
    // SMS_PROVIDER is left at `mailbox`: in production that means no texts at all.
    env: () => ({ NODE_ENV: "production", SMTP_URL: smtp.url }),
    setUp: async ({ server }) => {
      const { deps } = server.runtime;
      const { account } = await createAcmeAccount(server);
      await addStaffMember(server, account.id, {
        username: "sam",
        firstName: "Sam",
        lastName: "Rivera",
        email: "sam@acme.example",
        mobilePhone: "+1 415 555 0100",
        smsOptIn: true,
        password: SAM_PASSWORD,
      });
      await deps.db.updateTable("accounts").set({ sms_voice_enabled: 1 }).where("id", "=", account.id).execute();
      await grantCredits(deps.db, deps, {
        accountId: account.id,
        amount: 3,
        reason: GRANT_REASON,
        source: "support",
        actor: { type: "support_agent", id: null, name: "Staffgate Support" },
      });
    },
  });

  it(
    "disables Via SMS with the reason, charging nothing, while Via Email still works",
    { timeout: 90_000 },
    async () => {
      const { page, problems } = await signInAsOwner(suite);
      await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Staff" }).click();
      await page.getByRole("button", { name: "Edit Sam Rivera" }).click();
      const dialog = page.getByRole("dialog", { name: "Edit Sam Rivera" });
      const reason = dialog.getByText(SMS_UNAVAILABLE);
      await reason.waitFor();
      const button = dialog.getByRole("button", { name: "Reset Password Via SMS" });
      expect(await button.getAttribute("aria-disabled")).toBe("true");
      expect(await reason.getAttribute("id")).toBe(await button.getAttribute("aria-describedby"));
      await button.scrollIntoViewIfNeeded();
      await screenshot(page, "sms-unavailable");
      await expectAccessible(page, "the edit window without an SMS provider");
      await button.click({ force: true });
      expect(await page.getByRole("alertdialog").count()).toBe(0);

      await dialog.getByRole("button", { name: "Reset Password Via Email" }).click();
      const confirm = page.getByRole("alertdialog", { name: "Send a password reset link by email?" });
      await confirm.getByRole("button", { name: "Send link" }).click();
      await dialog.getByRole("status").filter({ hasText: "Reset link sent to s•••@acme.example." }).waitFor();
      await expectAccessible(page, "the edit window, email sent");
      await expect
        .poll(() => smtp.messages.filter((m) => m.to === "sam@acme.example").length, { timeout: 10_000 })
        .toBe(1);

      const { deps } = suite.server.runtime;
      expect((await deps.db.selectFrom("accounts").select("sms_credits").executeTakeFirstOrThrow()).sms_credits).toBe(
        3,
      );
      expect(await deps.db.selectFrom("outbox_messages").select("id").where("channel", "=", "sms").execute()).toEqual(
        [],
      );
      // Chromium logs the expected 401 of the sign-in page (not signed in yet) as a failed resource.
      expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
    },
  );
});
