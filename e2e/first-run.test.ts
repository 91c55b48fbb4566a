import { describe, expect, it } from "vitest";
import { createDemoAccountIfEmpty } from "../src/first-run.js";
import { expectAccessible } from "./support/axe.js";
import { browserAvailable, useBrowserSuite } from "./support/browser.js";
import { replaceTemporaryPassword, submitLogin } from "./support/portal.js";

describe.skipIf(!browserAvailable)("first run in the browser", () => {
  const suite = useBrowserSuite();

  it(
    "the demo owner signs in with the one-time password, must choose a new one, and signs in with it",
    { timeout: 60_000 },
    async () => {
      const { server } = suite;
      const demo = await createDemoAccountIfEmpty(server.runtime.deps);
      const oneTimePassword = demo?.oneTimePassword as string;
      expect(oneTimePassword).toBeTruthy();

      const { page, problems } = await suite.newPage();

      await page.goto(`${server.url}/a/demo/login`);
      await expect.poll(() => page.getByRole("heading", { name: "Demo Swim School" }).isVisible()).toBe(true);
      await expectAccessible(page, "the sign-in page");

      await submitLogin(page, "admin", oneTimePassword);
      await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
      await expectAccessible(page, "the forced password change");
      await replaceTemporaryPassword(page, oneTimePassword, "lane-seven-backstroke");
      expect(new URL(page.url()).pathname).toBe("/a/demo/login");
      await expectAccessible(page, "the sign-in page after the change");

      await submitLogin(page, "admin", oneTimePassword);
      await page.getByText("The username/email or password is incorrect.").waitFor();
      await expectAccessible(page, "the sign-in page with a wrong password");

      await page.getByLabel("Password", { exact: true }).fill("lane-seven-backstroke");
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.getByText("Signed in as Dana Owner").waitFor();
      expect(new URL(page.url()).pathname).toBe("/a/demo");
      await expectAccessible(page, "the home page");

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByText("You have been signed out.").waitFor();
      await expectAccessible(page, "the sign-in page after signing out");
      const events = await server.runtime.deps.db.selectFrom("audit_events").select("action").execute();
      expect(events.map((e) => e.action)).toEqual(
        expect.arrayContaining(["account.created", "auth.signed_in", "password.changed", "auth.signed_out"]),
      );
      // Chromium logs the expected 401/403 answers (signed out, wrong password) as failed resources;
      // nothing else may fail.
      expect(problems.filter((p) => !/status of 40[13]/.test(p))).toEqual([]);
    },
  );
});
