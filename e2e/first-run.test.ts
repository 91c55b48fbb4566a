import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { createDemoAccountIfEmpty } from "../src/first-run.js";
import { browserAvailable, launchBrowser, startServer, type RunningServer } from "./support/browser.js";

describe.skipIf(!browserAvailable)("first run in the browser", () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it(
    "the demo owner signs in with the one-time password, must choose a new one, and signs in with it",
    { timeout: 60_000 },
    async () => {
      const demo = await createDemoAccountIfEmpty(server.runtime.deps);
      const oneTimePassword = demo?.oneTimePassword as string;
      expect(oneTimePassword).toBeTruthy();

      const page = await browser.newPage();
      page.setDefaultTimeout(10_000);
      const problems: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(message.text());
      });
      page.on("pageerror", (error) => problems.push(error.message));

      await page.goto(`${server.url}/a/demo/login`);
      await expect.poll(() => page.getByRole("heading", { name: "Demo Swim School" }).isVisible()).toBe(true);

      await page.getByLabel("Username or email").fill("admin");
      await page.getByLabel("Password", { exact: true }).fill(oneTimePassword);
      await page.getByRole("button", { name: "Sign in" }).click();

      await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
      await page.getByLabel("Temporary password", { exact: true }).fill(oneTimePassword);
      await page.getByLabel("New password", { exact: true }).fill("lane-seven-backstroke");
      await page.getByLabel("Confirm new password", { exact: true }).fill("lane-seven-backstroke");
      await page.getByRole("button", { name: "Change password" }).click();

      await page.getByText("Your password was changed. Sign in with your new password.").waitFor();
      expect(new URL(page.url()).pathname).toBe("/a/demo/login");

      await page.getByLabel("Username or email").fill("admin");
      await page.getByLabel("Password", { exact: true }).fill(oneTimePassword);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByText("The username/email or password is incorrect.").waitFor();

      await page.getByLabel("Password", { exact: true }).fill("lane-seven-backstroke");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByText("Signed in as Dana Owner").waitFor();
      expect(new URL(page.url()).pathname).toBe("/a/demo");

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByText("You have been signed out.").waitFor();
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
