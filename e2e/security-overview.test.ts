import { describe, expect, it } from "vitest";
import { ACME_SLUG, createAcmeAccount, signInAsOwner } from "./support/acme.js";
import { expectAccessible } from "./support/axe.js";
import { browserAvailable, useBrowserSuite } from "./support/browser.js";
import { screenshotAtTwoWidths } from "./support/screenshots.js";

describe.skipIf(!browserAvailable)("the security overview in the browser", () => {
  const suite = useBrowserSuite({ setUp: ({ server }) => createAcmeAccount(server) });

  it(
    "the owner sees who has Admin Access and two-step sign-in, and failed sign-ins as a chart",
    { timeout: 60_000 },
    async () => {
      // Three failed sign-ins today, by someone guessing.
      for (let i = 0; i < 3; i++) {
        await fetch(`${suite.server.url}/api/accounts/${ACME_SLUG}/session`, {
          method: "POST",
          headers: { Origin: suite.server.url, "Content-Type": "application/json" },
          body: JSON.stringify({ login: "admin", password: `not-it-${i}` }),
        });
      }
      const { page, problems } = await signInAsOwner(suite);
      await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Security" }).click();
      await page.getByRole("heading", { name: "Security", level: 1 }).waitFor();
      await page.getByText("use two-step sign-in").waitFor();
      expect(await page.getByRole("listitem").filter({ hasText: "have Admin Access" }).textContent()).toContain("1");
      await page.getByText("3 failed sign-ins; the busiest day had 3.").waitFor();
      expect(await page.locator(".security-chart-bar").count()).toBe(30);
      await expectAccessible(page, "the security overview");
      const ownerRow = page.getByRole("row").filter({ hasText: "(admin)" });
      expect(await ownerRow.textContent()).toContain("Business Owner");
      await page.getByText("Show the numbers").click();
      await page.getByRole("cell", { name: "3", exact: true }).first().waitFor();
      await expectAccessible(page, "the security overview with the numbers shown");
      await screenshotAtTwoWidths(page, "security-overview");
      expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
    },
  );
});
