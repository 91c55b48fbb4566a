// Settings → Ownership details (shared/API.md v2): the Business Owner records and updates the
// facts vendor support checks, sees them only masked, confirms it's them when the sign-in is old;
// nobody else sees the section. At a desktop and a phone width.
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { ACME_SLUG, OWNER_PASSWORD, addStaffMember, createAcmeAccount } from "./support/acme.js";
import { ageSessions, apiClient } from "./support/api.js";
import { expectAccessible } from "./support/axe.js";
import { browserAvailable, useBrowserSuite, type BrowserSuite } from "./support/browser.js";
import { isFocused, signInThroughUi } from "./support/portal.js";
import { screenshot } from "./support/screenshots.js";

const SIZES = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 390, height: 844 },
] as const;

const ALEX_PASSWORD = "chlorine-harbour-58";

/** Chromium logs the expected 400 (a wrong card number) and 401 (confirm it's you) answers. */
const unexpected = (problems: string[]) => problems.filter((p) => !/status of 40[01]/.test(p));

async function signedInPage(suite: BrowserSuite, size: (typeof SIZES)[number], login: string, password: string) {
  const opened = await suite.newPage(size.width);
  await opened.page.setViewportSize({ width: size.width, height: size.height });
  await signInThroughUi(opened.page, suite.server.url, ACME_SLUG, login, password);
  await opened.page.getByRole("heading", { level: 1 }).first().waitFor();
  return opened;
}

async function openSettings(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/a/${ACME_SLUG}/settings`);
  await page.getByRole("heading", { name: "Settings", level: 1 }).waitFor();
  await page.getByRole("button", { name: "Save settings" }).waitFor();
}

describe.skipIf(!browserAvailable).each(SIZES)("ownership details in Settings, $width×$height", (size) => {
  const suite = useBrowserSuite({
    setUp: async ({ server }) => {
      // A business whose owner hasn't recorded the facts yet.
      const { account } = await createAcmeAccount(server, {
        billingPostalCode: undefined,
        cardLast4: undefined,
        businessPhone: undefined,
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
  const shot = (page: Page, name: string) => screenshot(page, `ownership-${name}-${size.width}`);

  it(
    "the owner records them, sees them masked, and updates one after confirming it's her",
    { timeout: 90_000 },
    async () => {
      const { page, problems } = await signedInPage(suite, size, "admin", OWNER_PASSWORD);
      await openSettings(page, suite.server.url);
      const section = page.getByRole("region", { name: "Ownership details" });
      await section.getByText("Olivia Harper").waitFor();
      expect(await section.getByText("Not on file", { exact: true }).count()).toBe(3);
      await shot(page, "empty");
      await expectAccessible(page, "Settings with no ownership details on file");

      // Recorded: a card number that isn't 4 digits is refused with what to type.
      await section.getByRole("button", { name: "Change ownership details" }).click();
      const postalCode = section.getByLabel("Billing postal code", { exact: true });
      await postalCode.waitFor();
      await expect.poll(() => isFocused(postalCode)).toBe(true);
      await expectAccessible(page, "the ownership details form");
      await postalCode.fill("94110");
      await section.getByLabel("Last 4 digits of the card on file", { exact: true }).fill("42a2");
      await section.getByLabel("Business phone number", { exact: true }).fill("+1 415 555 0100");
      await section.getByRole("button", { name: "Save ownership details" }).click();
      await section
        .getByRole("alert")
        .filter({ hasText: "Enter the last 4 digits of the card the business pays with, such as 4242." })
        .waitFor();
      await shot(page, "card-error");
      await expectAccessible(page, "the ownership details form with a wrong card number");
      await section.getByLabel("Last 4 digits of the card on file", { exact: true }).fill("4242");
      await section.getByRole("button", { name: "Save ownership details" }).click();
      await section
        .getByRole("status")
        .filter({ hasText: "Ownership details saved. Support will check callers against them." })
        .waitFor();

      // Shown masked: recognisable, never readable in full.
      await section.getByText("•••10", { exact: true }).waitFor();
      await section.getByText("•••••••••••0100", { exact: true }).waitFor();
      await section.getByText("4242", { exact: true }).waitFor();
      expect(await section.textContent()).not.toMatch(/94110|555 0100/);
      await shot(page, "saved");
      await expectAccessible(page, "Settings with the ownership details saved");

      // Eleven minutes later a change asks "Confirm it's you" in place, then goes through.
      await ageSessions(suite.server, 11);
      await section.getByRole("button", { name: "Change ownership details" }).click();
      await section.getByLabel("Billing postal code", { exact: true }).fill("SW1A 1AA");
      await section.getByRole("button", { name: "Save ownership details" }).click();
      const confirm = page.getByRole("dialog", { name: "Confirm it's you" });
      await confirm.waitFor();
      await shot(page, "confirm");
      await expectAccessible(page, "“Confirm it's you” over the ownership details");
      await confirm.getByLabel("Your password", { exact: true }).fill(OWNER_PASSWORD);
      await confirm.getByRole("button", { name: "Confirm" }).click();
      await confirm.waitFor({ state: "detached" });
      await section.getByRole("status").filter({ hasText: "Ownership details saved." }).waitFor();
      await section.getByText("••••••AA", { exact: true }).waitFor();
      await expectAccessible(page, "Settings with the postal code updated");

      // Stored as typed (the others as they were), and audited by name of field, never by value.
      const account = await suite.server.runtime.deps.db
        .selectFrom("accounts")
        .select(["billing_postal_code", "card_last4", "business_phone"])
        .where("slug", "=", ACME_SLUG)
        .executeTakeFirstOrThrow();
      expect(account).toEqual({
        billing_postal_code: "SW1A 1AA",
        card_last4: "4242",
        business_phone: "+1 415 555 0100",
      });
      const events = await suite.server.runtime.deps.db
        .selectFrom("audit_events")
        .select("details")
        .where("action", "=", "account.ownership_details_changed")
        .execute();
      expect(events.map((event) => JSON.parse(event.details) as unknown)).toEqual([
        { changed: ["billingPostalCode", "cardLast4", "businessPhone"] },
        { changed: ["billingPostalCode"] },
      ]);
      expect(unexpected(problems)).toEqual([]);
    },
  );

  it(
    "someone else with Admin Access doesn't see the section, and the server refuses them",
    { timeout: 60_000 },
    async () => {
      const { page, problems } = await signedInPage(suite, size, "alex", ALEX_PASSWORD);
      await openSettings(page, suite.server.url);
      await page.getByRole("heading", { name: "Passwords", level: 2 }).waitFor();
      expect(await page.getByRole("heading", { name: "Ownership details" }).count()).toBe(0);
      await shot(page, "not-owner");
      await expectAccessible(page, "Settings for someone who isn't the owner");

      const call = apiClient(suite.server, ACME_SLUG);
      expect((await call("POST", "/session", { login: "alex", password: ALEX_PASSWORD })).status).toBe(200);
      expect((await call("GET", "/ownership-details")).status).toBe(403);
      expect((await call("PUT", "/ownership-details", { cardLast4: "1111" })).status).toBe(403);
      expect(unexpected(problems)).toEqual([]);
    },
  );
});
