// Issue 16, item 5: the STAFF list shows who must change their password, when each person last
// signed in, and its order (which can be turned round); on a phone it is a column of cards, not a
// table to scroll sideways; the "was added" notice goes with the next action. At 1280×800 and
// 390×844, every state checked with axe-core and kept as a screenshot.
import { describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { ACME_SLUG, addStaffMember, createAcmeAccount, signInAsOwner } from "./support/acme.js";
import { apiClient } from "./support/api.js";
import { expectAccessible } from "./support/axe.js";
import { browserAvailable, useBrowserSuite } from "./support/browser.js";
import { VIEWPORTS, keepScreenshot } from "./support/screenshots.js";

const PASSWORD = "front-desk-pass-1";
/** Who each window size adds, so that the two runs don't meet in one list. */
const ADDED = { desktop: ["Dee", "Lane"], phone: ["Eli", "Moss"] } as const;

describe.skipIf(!browserAvailable)("the STAFF list, in the browser", () => {
  const suite = useBrowserSuite({
    setUp: async ({ server }) => {
      const { account } = await createAcmeAccount(server);
      for (const [username, firstName, lastName] of [
        ["ben", "Ben", "Adams"],
        ["cal", "Cal", "Diaz"],
        ["zoe", "Zoe", "Young"],
      ] as const) {
        await addStaffMember(server, account.id, { username, firstName, lastName, password: PASSWORD });
      }
      // Zoe was given a one-time password; Ben has signed in; Cal never has.
      await server.runtime.deps.db
        .updateTable("staff")
        .set({ must_change_password: 1 })
        .where("id", "=", "stf_zoe")
        .execute();
      const asBen = apiClient(server, ACME_SLUG);
      expect((await asBen("POST", "/session", { login: "ben", password: PASSWORD })).status).toBe(200);
    },
  });

  /** Chromium logs the expected 401 of the signed-out sign-in page as a failed resource. */
  const unexpected = (problems: string[]) => problems.filter((p) => !/status of 401/.test(p));

  /** The people in the list, in the order shown (a table's rows, or the cards). */
  async function namesInOrder(page: Page, cards: boolean): Promise<string[]> {
    const names = cards ? page.locator(".staff-card-name") : page.locator("tbody .staff-name");
    return (await names.allTextContents()).map((name) => name.replace(" (you)", "").trim());
  }

  /** "Adams" before "Diaz" before "Harper" before "Young", or the other way round. */
  function expectOrder(names: string[], lastNames: string[]) {
    const positions = lastNames.map((lastName) => names.findIndex((name) => name.endsWith(` ${lastName}`)));
    expect(
      positions.every((position) => position >= 0),
      names.join(", "),
    ).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  }

  for (const viewport of VIEWPORTS) {
    it(
      `at ${viewport.width}×${viewport.height}: the list's new fields, its order, and the notice that goes`,
      {
        timeout: 90_000,
      },
      async () => {
        const cards = viewport.name === "phone";
        const { page, problems } = await signInAsOwner(suite, viewport);
        const look = async (name: string, where: string) => {
          await expectAccessible(page, `${where} at ${viewport.width}×${viewport.height}`);
          await keepScreenshot(page, viewport, name);
        };
        await page.goto(`${suite.server.url}/a/${ACME_SLUG}/staff`);
        await page.getByRole("heading", { name: "Staff", level: 1 }).waitFor();
        const entry = (name: string): Locator =>
          cards
            ? page.getByRole("listitem").filter({ hasText: name })
            : page.getByRole("row").filter({ hasText: name });
        await entry("Zoe Young").waitFor();

        // What stands between each person and signing in, and when they last did.
        expect(await entry("Zoe Young").textContent()).toContain("Must change password");
        expect(await entry("Ben Adams").textContent()).not.toContain("Must change password");
        expect(await entry("Ben Adams").locator("time").count()).toBe(1);
        expect(await entry("Cal Diaz").textContent()).toContain("Never");
        if (cards) {
          expect(await page.getByRole("table").count()).toBe(0);
          expect(await entry("Cal Diaz").getByText("Last signed in").count()).toBe(1);
          // A column of cards: nothing to scroll sideways.
          const scrollWidth = await page.evaluate<number>("document.documentElement.scrollWidth");
          expect(scrollWidth).toBeLessThanOrEqual(viewport.width);
        } else {
          await page.getByRole("columnheader", { name: "Last signed in" }).waitFor();
        }

        // The order is said, and shown.
        const summary = page.locator(".list-summary");
        expect(await summary.textContent()).toContain("Sorted by last name, A to Z.");
        expectOrder(await namesInOrder(page, cards), ["Adams", "Diaz", "Harper", "Young"]);
        await look("staff-list", "the STAFF list");

        // Adding someone leaves a notice...
        const [first, last] = ADDED[viewport.name];
        await page.getByRole("button", { name: "Add staff" }).click();
        const dialog = page.getByRole("dialog", { name: "Add staff" });
        await dialog.getByLabel("First name").fill(first);
        await dialog.getByLabel("Last name").fill(last);
        await dialog.getByLabel("Username").fill(first.toLowerCase());
        await dialog.getByRole("button", { name: "Add staff member" }).click();
        const notice = page.getByRole("status").filter({ hasText: `${first} ${last} was added.` });
        await notice.waitFor();
        await entry(`${first} ${last}`).waitFor();
        expect(await entry(`${first} ${last}`).textContent()).toContain("No password yet");
        await look("staff-list-added", "the STAFF list after adding someone");

        // ... which goes with the next action: here, turning the order round.
        const reverse = cards
          ? page.getByRole("button", { name: "Sort Z to A" })
          : page.getByRole("button", { name: /sorted by last name A to Z\. Reverse$/ });
        await reverse.click();
        await expect.poll(() => summary.textContent()).toContain("Sorted by last name, Z to A.");
        expect(await notice.count()).toBe(0);
        await expect
          .poll(async () => {
            const names = await namesInOrder(page, cards);
            return names.findIndex((name) => name === "Zoe Young") < names.findIndex((name) => name === "Ben Adams");
          })
          .toBe(true);
        expectOrder(await namesInOrder(page, cards), ["Young", "Harper", "Diaz", "Adams"]);
        if (!cards) {
          expect(await page.getByRole("columnheader", { name: /^Name/ }).getAttribute("aria-sort")).toBe("descending");
        }
        await look("staff-list-reversed", "the STAFF list, Z to A");

        expect(unexpected(problems)).toEqual([]);
      },
    );
  }
});
