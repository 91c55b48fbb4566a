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

describe.skipIf(!browserAvailable)("new-password checklist, strength advice and settings in the browser", () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    await createAccount(server.runtime.deps, {
      slug: "acme-swim",
      name: "Acme Swim",
      ownerFirstName: "Olivia",
      ownerLastName: "Harper",
      ownerEmail: "olivia@acme.example",
      ownerPassword: "tidal-lantern-91",
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it(
    "the checklist follows the server's check as the owner types, and a raised minimum shows up in it",
    { timeout: 60_000 },
    async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      page.setDefaultTimeout(10_000);
      const problems: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(message.text());
      });
      page.on("pageerror", (error) => problems.push(error.message));

      await page.goto(`${server.url}/a/acme-swim/login`);
      await page.getByLabel("Username or email").fill("admin");
      await page.getByLabel("Password", { exact: true }).fill("tidal-lantern-91");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByText("Signed in as Olivia Harper").waitFor();

      await page.getByRole("button", { name: "Change password" }).click();
      await page.getByRole("heading", { name: "Change password" }).waitFor();

      const newPassword = page.getByLabel("New password", { exact: true });
      const item = (id: string) => page.locator(`[data-requirement="${id}"]`);
      const itemWith = (id: string, status: string) =>
        page.locator(`[data-requirement="${id}"][data-status="${status}"]`);

      // The checklist is tied to the input, so screen readers read it with the field.
      const checklistId = await item("min-length").evaluate((li) => li.parentElement?.id ?? "");
      expect(checklistId).not.toBe("");
      expect((await newPassword.getAttribute("aria-describedby"))?.split(" ")).toContain(checklistId);
      expect(await item("min-length").textContent()).toContain("At least 8 characters");

      await newPassword.fill("password123");
      await itemWith("common", "failed").waitFor();
      expect(await item("common").textContent()).toContain("Not a commonly used password (not met)");
      await itemWith("min-length", "met").waitFor();

      await newPassword.fill("AcmeSwim2024!");
      await itemWith("personal", "failed").waitFor();
      expect(await item("personal").textContent()).toContain(
        "Doesn't contain your name, username, email or the business name (not met)",
      );
      await itemWith("common", "met").waitFor();
      // zxcvbn knows the business's name too, so its advice agrees.
      await page.getByText("Your own name, username, email or the business name are easy to guess.").waitFor();

      await newPassword.fill("correct horse battery staple");
      await itemWith("personal", "met").waitFor();
      await itemWith("common", "met").waitFor();
      const statuses = await page
        .locator("[data-requirement]")
        .evaluateAll((items) => items.map((li) => li.getAttribute("data-status")));
      expect(statuses).toEqual(["met", "met", "met"]);
      const strength = page.locator(".strength[data-score]");
      await strength.waitFor();
      expect(Number(await strength.getAttribute("data-score"))).toBeGreaterThanOrEqual(3);
      expect(await strength.textContent()).toMatch(/Strength \(advice\): (Strong|Very strong)/);
      // One polite summary once typing has settled.
      await expect.poll(() => page.getByRole("status").first().textContent()).toBe("3 of 3 requirements met.");
      await screenshot(page, "change-password");

      await page.getByRole("link", { name: "Settings" }).click();
      await page.getByRole("heading", { name: "Settings" }).waitFor();
      await page.getByText("Acme Swim", { exact: true }).last().waitFor();
      const minimum = page.getByLabel("Minimum password length");
      expect(await minimum.inputValue()).toBe("8");
      await minimum.fill("15");
      await page.getByRole("button", { name: "Save settings" }).click();
      await page.getByRole("status").getByText("Settings saved.").waitFor();
      await screenshot(page, "settings");

      await page.getByRole("link", { name: "Home" }).click();
      await page.getByRole("button", { name: "Change password" }).click();
      await page.getByRole("heading", { name: "Change password" }).waitFor();
      await page.getByText("At least 15 characters").waitFor();
      await page.getByLabel("New password", { exact: true }).fill("lantern-harbor");
      await itemWith("min-length", "notYet").waitFor();

      const settings = await server.runtime.deps.db
        .selectFrom("accounts")
        .select("password_min_length")
        .where("slug", "=", "acme-swim")
        .executeTakeFirstOrThrow();
      expect(settings.password_min_length).toBe(15);
      // Chromium logs the expected 401 of the signed-out login page as a failed resource; nothing else may fail.
      expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
    },
  );
});
