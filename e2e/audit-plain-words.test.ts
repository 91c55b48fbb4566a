// The audit log in plain words (issue 16, item 2): a support event, a refused action and a
// reset-link use read as sentences, their details as words, never as codes; the "What happened"
// filter names them; one reset-link use is one row; the staff filter is a search box that finds a
// person and says so when the search fails. At a desktop and a phone width.
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { createSupportAgent } from "../src/modules/support/index.js";
import { totpCode } from "../src/modules/two-factor/index.js";
import { ACME_SLUG, OWNER_PASSWORD, createAcmeAccount } from "./support/acme.js";
import { apiClient } from "./support/api.js";
import { expectAccessible } from "./support/axe.js";
import { browserAvailable, useBrowserSuite, type RunningServer } from "./support/browser.js";
import { linkIn, mailTo } from "./support/mailbox.js";
import { signInThroughUi } from "./support/portal.js";
import { screenshot } from "./support/screenshots.js";

const SIZES = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const;

const SAM_PASSWORD = "pool-lane-whistle-73";
const SAM_NEW_PASSWORD = "kickboard-sunrise-27";
const AGENT = { email: "ann@staffgate.example", name: "Ann Agent", password: "granite-orchard-lamp-19" };

/** A snake_case code (`temporary_password`, `not_provided`), as a reader must never see one. */
const CODE = /\b[a-z]+_[a-z_]+\b/g;
/** Opaque ids (`case_…`: 16 base32 characters) are shown as they are: they are names, not codes. */
const OPAQUE_ID = /^[a-z]+_[0-9a-z]{16}$/;

/** Chromium logs the sign-in page's 401 (nobody signed in yet) and the failed staff search (500) the test causes. */
const unexpected = (problems: string[]) => problems.filter((p) => !/status of (401|500)/.test(p));

/** The first email to `to` with `subject`, once the outbox worker has delivered it (setUp can't use expect.poll). */
async function mailArrived(server: RunningServer, to: string, subject: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const [mail] = mailTo(server, to, subject);
    if (mail) return mail;
    if (Date.now() > deadline) throw new Error(`no email "${subject}" to ${to}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A support agent's console session through the API: password, authenticator set up, then calls. */
async function supportAgentClient(server: RunningServer) {
  let cookie = "";
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}/api/support${path}`, {
      method,
      headers: {
        Origin: server.url,
        ...(cookie ? { Cookie: cookie } : {}),
        ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const setCookies = response.headers.getSetCookie();
    if (setCookies.length > 0) cookie = setCookies.map((c) => c.split(";")[0]).join("; ");
    const text = await response.text();
    expect(response.ok, `${method} ${path}: ${response.status} ${text}`).toBe(true);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
  await call("POST", "/session", { email: AGENT.email, password: AGENT.password });
  const { secret } = await call("POST", "/me/totp", {});
  await call("PUT", "/me/totp", { totpCode: totpCode(String(secret).replace(/\s+/g, ""), Date.now()) });
  return call;
}

describe.skipIf(!browserAvailable).each(SIZES)("the audit log in plain words, $width×$height", (size) => {
  const suite = useBrowserSuite({
    setUp: async ({ server }) => {
      await createAcmeAccount(server);
      await createSupportAgent(server.runtime.deps, AGENT);

      // Olivia adds Sam, who has no permissions, with a password.
      const olivia = apiClient(server, ACME_SLUG);
      expect((await olivia("POST", "/session", { login: "admin", password: OWNER_PASSWORD })).status).toBe(200);
      const sam = await olivia("POST", "/staff", {
        username: "sam",
        firstName: "Sam",
        lastName: "Rivera",
        email: "sam@acme.example",
      });
      const samId = String(sam.body.id);
      const set = await olivia("PUT", `/staff/${samId}/password`, {
        password: SAM_PASSWORD,
        mustChangeAtNextLogin: false,
      });
      expect(set.status).toBe(200);

      // A refusal: Sam tries to change the settings.
      const asSam = apiClient(server, ACME_SLUG);
      expect((await asSam("POST", "/session", { login: "sam", password: SAM_PASSWORD })).status).toBe(200);
      expect((await asSam("PATCH", "/settings", { smsVoiceEnabled: true })).status).toBe(403);

      // A reset-link use: Forgot password, then the emailed link.
      expect((await apiClient(server, ACME_SLUG)("POST", "/password-resets", { login: "sam" })).status).toBe(202);
      const mail = await mailArrived(server, "sam@acme.example", "Reset your Acme Swim Office Portal password");
      const token = new URL(linkIn(mail, "/reset-password")).hash.replace("#token=", "");
      const completed = await fetch(`${server.url}/api/password-resets/complete`, {
        method: "POST",
        headers: { Origin: server.url, "Content-Type": "application/json" },
        body: JSON.stringify({ token, password: SAM_NEW_PASSWORD, passwordConfirmation: SAM_NEW_PASSWORD }),
      });
      expect(completed.status).toBe(204);

      // Support events: an owner recovery case (one answer not given) and SMS credits.
      const agent = await supportAgentClient(server);
      await agent("POST", `/accounts/${ACME_SLUG}/recovery-cases`, {
        callerName: "Olivia Harper",
        answers: { ownerFullName: "Olivia Harper", billingPostalCode: "94110", cardLast4: "4242" },
      });
      await agent("POST", `/accounts/${ACME_SLUG}/sms-credits`, { amount: 25, reason: "Welcome credits" });
    },
  });
  const shot = (page: Page, name: string) => screenshot(page, `audit-plain-words-${name}-${size.width}`);

  async function openAuditLog(): Promise<{ page: Page; problems: string[] }> {
    const opened = await suite.newPage(size.width);
    await opened.page.setViewportSize(size);
    await signInThroughUi(opened.page, suite.server.url, ACME_SLUG, "admin", OWNER_PASSWORD);
    await opened.page.getByText("Signed in as Olivia Harper").waitFor();
    await opened.page.goto(`${suite.server.url}/a/${ACME_SLUG}/audit`);
    await opened.page.getByRole("heading", { name: "Audit log", level: 1 }).waitFor();
    await opened.page.locator("tbody tr").first().waitFor();
    return opened;
  }

  /** The codes in the rows' text, details included (a closed <details> is still in the page). */
  async function codesIn(page: Page): Promise<string[]> {
    const text = (await page.locator("tbody").textContent()) ?? "";
    return (text.match(CODE) ?? []).filter((match) => !OPAQUE_ID.test(match));
  }

  it(
    "support events, refusals and a reset-link use read as sentences, and the filter names them",
    { timeout: 90_000 },
    async () => {
      const { page, problems } = await openAuditLog();
      const rows = page.locator("tbody tr");
      const row = (sentence: string | RegExp) =>
        rows.filter({ has: page.locator(".event-sentence", { hasText: sentence }) });

      await row(/^Opened a case to recover the Business Owner's sign-in/).waitFor();
      await row(/Set a new password with a reset link/).waitFor();
      await row(/^Was refused/).waitFor();
      await row(/SMS credits?/)
        .first()
        .waitFor();
      expect(await codesIn(page)).toEqual([]);
      await shot(page, "all");
      await expectAccessible(page, "the audit log with support events and a refusal");

      // The support case's details: the answers' results in words; the refusal's in words too.
      const supportCase = row(/^Opened a case to recover the Business Owner's sign-in/);
      expect(await supportCase.getByRole("cell").nth(4).textContent()).toContain("Vendor support");
      await supportCase.getByText("Details").click();
      await expect
        .poll(async () => (await supportCase.locator(".event-details").textContent()) ?? "")
        .toContain("business phone: not given, or not on file");
      const refusal = row(/^Was refused/);
      await refusal.getByText("Details").click();
      await expect
        .poll(async () => (await refusal.locator(".event-details").textContent()) ?? "")
        .toContain("Change the business's settings");
      expect(await codesIn(page)).toEqual([]);
      await shot(page, "details-open");
      await expectAccessible(page, "the audit log with details open");

      // "What happened" names each of them; a reset-link use is one row.
      const filter = page.getByLabel("What happened");
      const options = await filter.locator("option").allTextContents();
      expect(options).toEqual(
        expect.arrayContaining([
          "Action refused",
          "Password reset with a link",
          "Owner recovery case opened",
          "Owner recovery sent to a supervisor",
        ]),
      );
      expect(options.filter((option) => option.match(CODE))).toEqual([]);
      await filter.selectOption({ label: "Password reset with a link" });
      await page.getByRole("status").filter({ hasText: "Showing 1 event matching the filters." }).waitFor();
      expect(await rows.count()).toBe(1);
      expect(await rows.first().getByRole("cell").nth(1).textContent()).toBe("Sam Rivera");
      await shot(page, "reset-link-use");
      await expectAccessible(page, "the audit log filtered to reset-link uses");
      await filter.selectOption({ label: "Action refused" });
      await row(/^Was refused/).waitFor();
      await expect.poll(() => rows.count()).toBe(1);
      expect(await codesIn(page)).toEqual([]);
      await expectAccessible(page, "the audit log filtered to refusals");

      expect(unexpected(problems)).toEqual([]);
    },
  );

  it("the staff search box finds a person, and says so when the search fails", { timeout: 90_000 }, async () => {
    const { page, problems } = await openAuditLog();
    const rows = page.locator("tbody tr");
    const staff = page.getByLabel("Staff member");

    // The search fails (the server is down, say): the error is on the page, with a way to retry.
    const staffSearch = (url: URL) => url.pathname === `/api/accounts/${ACME_SLUG}/staff`;
    await page.route(staffSearch, (route) =>
      route.fulfill({ status: 500, contentType: "application/json", body: '{"error":{"code":"internal"}}' }),
    );
    await staff.fill("Sam");
    const failure = page.getByRole("alert").filter({ hasText: "Staff couldn't be searched." });
    await failure.waitFor();
    await shot(page, "staff-search-failed");
    await expectAccessible(page, "the staff search, failed");

    // It works again: type, pick, and only Sam's events are left.
    await page.unroute(staffSearch);
    await failure.getByRole("button", { name: "Try again" }).click();
    const sam = page.getByRole("list", { name: "Matching staff" }).getByRole("button", { name: /^Sam Rivera/ });
    await sam.waitFor();
    await page.getByRole("status").filter({ hasText: "1 match: choose one." }).waitFor();
    await expectAccessible(page, "the staff search with a match");
    await sam.click();
    await page.getByText("Show everyone").waitFor();
    await expect
      .poll(async () => {
        const targets = await rows.evaluateAll((all) =>
          all.map((tr) => (tr as unknown as { cells: { textContent: string }[] }).cells[3]?.textContent ?? ""),
        );
        const actors = await rows.evaluateAll((all) =>
          all.map((tr) => (tr as unknown as { cells: { textContent: string }[] }).cells[1]?.textContent ?? ""),
        );
        return targets.every((target, index) => target === "Sam Rivera" || actors[index] === "Sam Rivera");
      })
      .toBe(true);
    await rows.filter({ hasText: "Set a new password with a reset link" }).waitFor();
    expect(await codesIn(page)).toEqual([]);
    await shot(page, "staff-chosen");
    await expectAccessible(page, "the audit log filtered by staff member");

    // Nobody by that name: said in words.
    await page.getByRole("button", { name: /^Show everyone/ }).click();
    await staff.fill("Zed");
    await page.getByRole("status").filter({ hasText: "Nobody matches." }).waitFor();
    await expectAccessible(page, "the staff search with no match");

    expect(unexpected(problems)).toEqual([]);
  });
});
