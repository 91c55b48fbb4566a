import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { createAccount } from "../src/modules/accounts/index.js";
import { browserAvailable, launchBrowser, startServer, type RunningServer } from "./support/browser.js";

// Set to a directory to keep screenshots of the pages under test (for looking at the layout).
const screenshotDir = process.env["STAFFGATE_E2E_SCREENSHOTS"];

async function screenshot(page: Page, name: string): Promise<void> {
  if (screenshotDir) await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

const SLUG = "acme-swim";
const OWNER_PASSWORD = "tidal-lantern-91";

describe.skipIf(!browserAvailable)("the audit log in the browser", () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    await createAccount(server.runtime.deps, {
      slug: SLUG,
      name: "Acme Swim",
      ownerFirstName: "Olivia",
      ownerLastName: "Harper",
      ownerEmail: "olivia@acme.example",
      ownerPassword: OWNER_PASSWORD,
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Calls the API as a browser of this origin would, with the session cookie once signed in. */
  function apiClient() {
    let cookie = "";
    return async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${server.url}/api/accounts/${SLUG}${path}`, {
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

      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      page.setDefaultTimeout(10_000);
      const problems: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(message.text());
      });
      page.on("pageerror", (error) => problems.push(error.message));

      await page.goto(`${server.url}/a/${SLUG}/login`);
      await page.getByLabel("Username or email").fill("admin");
      await page.getByLabel("Password", { exact: true }).fill(OWNER_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByText("Signed in as Olivia Harper").waitFor();

      await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Audit log" }).click();
      await page.getByRole("heading", { name: "Audit log", level: 1 }).waitFor();
      const rows = page.locator("tbody tr");
      await page.getByRole("cell", { name: "Added Sam Rivera to the staff" }).waitFor();
      await page.getByRole("cell", { name: /^Changed the permissions of Sam Rivera: gave View staff/ }).waitFor();
      expect(await rows.count()).toBeGreaterThanOrEqual(5); // account, 2 sign-ins, created, password, permissions

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
      await passwordRow.getByText("Must change at next login: yes").waitFor();
      await screenshot(page, "audit-log-filtered");

      // The staff filter shows only Sam's events; a date range in the future shows nothing.
      await page.getByLabel("What happened").selectOption({ label: "Everything" });
      await page.getByLabel("Staff member").selectOption({ label: "Sam Rivera" });
      await page.getByRole("cell", { name: "Added Sam Rivera to the staff" }).waitFor();
      await expect.poll(() => rows.count()).toBe(3);
      await page.getByLabel("From").fill("2999-01-01");
      await page.getByRole("status").filter({ hasText: "Nothing matches these filters." }).waitFor();
      await page.getByRole("button", { name: "Clear filters" }).first().click();
      await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(6);

      expect(problems.filter((p) => !/status of 40[13]/.test(p))).toEqual([]);
    },
  );
});
