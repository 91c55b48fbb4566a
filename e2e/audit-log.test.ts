import { describe, expect, it } from "vitest";
import { ACME_SLUG, OWNER_PASSWORD, createAcmeAccount, signInAsOwner } from "./support/acme.js";
import { expectAccessible } from "./support/axe.js";
import { browserAvailable, useBrowserSuite } from "./support/browser.js";
import { screenshot } from "./support/screenshots.js";

describe.skipIf(!browserAvailable)("the audit log in the browser", () => {
  const suite = useBrowserSuite({ setUp: ({ server }) => createAcmeAccount(server) });

  /** Calls the API as a browser of this origin would, with the session cookie once signed in. */
  function apiClient() {
    let cookie = "";
    return async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${suite.server.url}/api/accounts/${ACME_SLUG}${path}`, {
        method,
        headers: {
          Origin: suite.server.url,
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
  }

  it(
    "after a few actions, the owner filters the log by “Password changed” and sees the row",
    { timeout: 90_000 },
    async () => {
      const call = apiClient();
      await call("POST", "/session", { login: "admin", password: OWNER_PASSWORD });
      const sam = await call("POST", "/staff", {
        username: "sam",
        firstName: "Sam",
        lastName: "Rivera",
        email: "sam@acme.example",
      });
      await call("PUT", `/staff/${String(sam.id)}/password`, { password: "pool-lane-whistle-73" });
      await call("PUT", `/staff/${String(sam.id)}/permissions`, {
        adminFullAccess: false,
        permissions: ["staff.view"],
      });

      const { page, problems } = await signInAsOwner(suite);

      await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Audit log" }).click();
      await page.getByRole("heading", { name: "Audit log", level: 1 }).waitFor();
      const rows = page.locator("tbody tr");
      await page.getByRole("cell", { name: "Added Sam Rivera to the staff" }).waitFor();
      await page.getByRole("cell", { name: /^Changed the permissions of Sam Rivera: gave View staff/ }).waitFor();
      expect(await rows.count()).toBeGreaterThanOrEqual(5); // account, 2 sign-ins, created, password, permissions
      await expectAccessible(page, "the audit log");

      await page.getByLabel("What happened").selectOption({ label: "Password changed" });
      const passwordRow = rows.filter({
        hasText: "Changed the password of Sam Rivera (must choose a new one at next sign-in)",
      });
      await passwordRow.waitFor();
      await expect.poll(() => rows.count()).toBe(1);
      const cells = await passwordRow.getByRole("cell").allTextContents();
      expect(cells[1]).toBe("Olivia Harper"); // Who
      expect(cells[3]).toBe("Sam Rivera"); // Target
      expect(cells[4]).toContain("Office Portal"); // Source
      await passwordRow.getByText("Details").click();
      await passwordRow.getByText("Must choose a new password at next sign-in: yes").waitFor();
      await expectAccessible(page, "the audit log filtered, a row's details open");
      await screenshot(page, "audit-log-filtered");

      // The staff filter shows only Sam's events; a date range in the future shows nothing.
      await page.getByLabel("What happened").selectOption({ label: "Everything" });
      await page.getByLabel("Staff member").fill("Sam");
      await page
        .getByRole("list", { name: "Matching staff" })
        .getByRole("button", { name: /^Sam Rivera/ })
        .click();
      await page.getByRole("cell", { name: "Added Sam Rivera to the staff" }).waitFor();
      await expect.poll(() => rows.count()).toBe(3);
      await expectAccessible(page, "the audit log filtered by staff member");
      await page.getByLabel("From").fill("2999-01-01");
      await page.getByRole("status").filter({ hasText: "Nothing matches these filters." }).waitFor();
      await expectAccessible(page, "the audit log with nothing matching");
      await page.getByRole("button", { name: "Clear filters" }).first().click();
      await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(6);
      await expectAccessible(page, "the audit log with the filters cleared");

      expect(problems.filter((p) => !/status of 40[13]/.test(p))).toEqual([]);
    },
  );
});
