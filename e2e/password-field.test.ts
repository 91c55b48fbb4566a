import { describe, expect, it } from "vitest";
import { ACME_SLUG, createAcmeAccount, signInAsOwner } from "./support/acme.js";
import { expectAccessible } from "./support/axe.js";
import { browserAvailable, useBrowserSuite } from "./support/browser.js";
import { requirement } from "./support/portal.js";
import { screenshot } from "./support/screenshots.js";

describe.skipIf(!browserAvailable)("new-password checklist, strength advice and settings in the browser", () => {
  const suite = useBrowserSuite({ setUp: ({ server }) => createAcmeAccount(server) });

  it(
    "the checklist follows the server's check as the owner types, and a raised minimum shows up in it",
    { timeout: 60_000 },
    async () => {
      const { page, problems } = await signInAsOwner(suite);

      await page.getByRole("button", { name: "Change password" }).click();
      await page.getByRole("heading", { name: "Change password" }).waitFor();

      const newPassword = page.getByLabel("New password", { exact: true });

      // The checklist is tied to the input, so screen readers read it with the field.
      const checklistId = await requirement(page, "min-length").evaluate((li) => li.parentElement?.id ?? "");
      expect(checklistId).not.toBe("");
      expect((await newPassword.getAttribute("aria-describedby"))?.split(" ")).toContain(checklistId);
      expect(await requirement(page, "min-length").textContent()).toContain("At least 8 characters");
      await expectAccessible(page, "the change-password page");

      await newPassword.fill("password123");
      await requirement(page, "common", "failed").waitFor();
      await expectAccessible(page, "the change-password page with a common password");
      expect(await requirement(page, "common").textContent()).toContain("Not a commonly used password (not met)");
      await requirement(page, "min-length", "met").waitFor();

      await newPassword.fill("AcmeSwim2024!");
      await requirement(page, "personal", "failed").waitFor();
      expect(await requirement(page, "personal").textContent()).toContain(
        "Doesn't contain your name, username, email or the business name (not met)",
      );
      await requirement(page, "common", "met").waitFor();
      // zxcvbn knows the business's name too, so its advice agrees.
      await page.getByText("Your own name, username, email or the business name are easy to guess.").waitFor();
      await expectAccessible(page, "the change-password page with a personal password");

      await newPassword.fill("correct horse battery staple");
      await requirement(page, "personal", "met").waitFor();
      await requirement(page, "common", "met").waitFor();
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
      await expectAccessible(page, "the change-password page with a good password");

      await page.getByRole("link", { name: "Settings" }).click();
      await page.getByRole("heading", { name: "Settings" }).waitFor();
      await page.getByText("Acme Swim", { exact: true }).last().waitFor();
      const minimum = page.getByLabel("Minimum password length");
      expect(await minimum.inputValue()).toBe("8");
      await minimum.fill("15");
      await page.getByRole("button", { name: "Save settings" }).click();
      await page.getByRole("status").getByText("Settings saved.").waitFor();
      await screenshot(page, "settings");
      await expectAccessible(page, "the settings page, saved");

      await page.getByRole("link", { name: "Home" }).click();
      await page.getByRole("button", { name: "Change password" }).click();
      await page.getByRole("heading", { name: "Change password" }).waitFor();
      await page.getByText("At least 15 characters").waitFor();
      await page.getByLabel("New password", { exact: true }).fill("lantern-harbor");
      await requirement(page, "min-length", "notYet").waitFor();
      await expectAccessible(page, "the change-password page with a raised minimum");

      const settings = await suite.server.runtime.deps.db
        .selectFrom("accounts")
        .select("password_min_length")
        .where("slug", "=", ACME_SLUG)
        .executeTakeFirstOrThrow();
      expect(settings.password_min_length).toBe(15);
      // Chromium logs the expected 401 of the signed-out login page as a failed resource; nothing else may fail.
      expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
    },
  );
});
