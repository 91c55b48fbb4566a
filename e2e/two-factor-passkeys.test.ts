import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { ACME_SLUG, addStaffMember, createAcmeAccount } from "./support/acme.js";
import { ageSessions } from "./support/api.js";
import { expectAccessible } from "./support/axe.js";
import { browserAvailable, useBrowserSuite } from "./support/browser.js";
import { signInThroughUi, submitLogin } from "./support/portal.js";
import { screenshot } from "./support/screenshots.js";
import { readRecoveryCodes } from "./support/two-factor.js";

const RIA_PASSWORD = "kickboard-orchard-17";

/** Chromium's virtual authenticator in `page`: a platform authenticator that says yes at once. */
async function addVirtualAuthenticator(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
}

describe.skipIf(!browserAvailable)("passkeys, with Chromium's virtual authenticator", () => {
  // WebAuthn refuses an IP address as the relying party: this suite's address is localhost.
  const suite = useBrowserSuite({
    hostname: "localhost",
    setUp: async ({ server }) => {
      const { account } = await createAcmeAccount(server);
      await addStaffMember(server, account.id, {
        username: "ria",
        firstName: "Ria",
        lastName: "Santos",
        email: "ria@acme.example",
        password: RIA_PASSWORD,
      });
    },
  });

  async function latestSessionMethods(): Promise<string> {
    const session = await suite.server.runtime.deps.db
      .selectFrom("sessions")
      .select("amr")
      .where("staff_id", "=", "stf_ria")
      .orderBy("created_at", "desc")
      .executeTakeFirstOrThrow();
    return session.amr;
  }

  it(
    "Ria adds a passkey on the home page, then uses it as the second step, to sign in without a password, and to confirm it's her",
    { timeout: 90_000 },
    async () => {
      const { page, problems } = await suite.newPage();
      await addVirtualAuthenticator(page);
      await signInThroughUi(page, suite.server.url, ACME_SLUG, "ria", RIA_PASSWORD);
      await page.getByText("Signed in as Ria Santos").waitFor();
      await expectAccessible(page, "the home page");

      const section = page.getByRole("region", { name: "Two-step sign-in" });
      await section.getByLabel("Name for a new passkey").fill("Front desk laptop");
      await section.getByRole("button", { name: "Add a passkey" }).click();
      await section.getByText(/^Passkey “Front desk laptop” added\./).waitFor();
      await section.getByRole("list", { name: "Your passkeys" }).getByText("Front desk laptop").waitFor();
      await section.getByText(/^On\. After your password, you confirm it's you with a passkey\./).waitFor();
      await screenshot(page, "two-factor-passkey-added");
      await expectAccessible(page, "the home page with a passkey");

      // The passkey is the second step after the password.
      await page.getByRole("button", { name: "Sign out" }).click();
      await submitLogin(page, "ria", RIA_PASSWORD);
      await page.getByRole("heading", { name: "Two-step sign-in", level: 1 }).waitFor();
      await expectAccessible(page, "the second step");
      await page.getByRole("button", { name: "Use your passkey" }).click();
      await page.getByText("Signed in as Ria Santos").waitFor();
      expect(await latestSessionMethods()).toBe("pwd,hwk");

      // And alone, without the password.
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByRole("button", { name: "Sign in with a passkey" }).click();
      await page.getByText("Signed in as Ria Santos").waitFor();
      expect(await latestSessionMethods()).toBe("hwk");
      await expectAccessible(page, "the home page after a passwordless sign-in");

      // Eleven minutes on, "Confirm it's you" takes the passkey too.
      await ageSessions(suite.server, 11);
      await section.getByRole("button", { name: "Make new recovery codes" }).click();
      await page.getByRole("button", { name: "Make new codes" }).click();
      const confirm = page.getByRole("dialog", { name: "Confirm it's you" });
      await confirm.waitFor();
      await expectAccessible(page, "the prompt offering a passkey");
      await confirm.getByRole("button", { name: "Use a passkey instead" }).click();
      expect(await readRecoveryCodes(page)).toHaveLength(10);
      await expectAccessible(page, "the new recovery codes");

      const actions = await suite.server.runtime.deps.db
        .selectFrom("audit_events")
        .select("action")
        .where("target_id", "=", "stf_ria")
        .execute();
      expect(actions.map((row) => row.action)).toEqual(
        expect.arrayContaining(["two_factor.passkey_added", "auth.reauthenticated"]),
      );
      expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
    },
  );
});
