// Two-step sign-in for the browser tests: an authenticator app that the test holds (it computes
// the codes a phone would show), and setting one up through the API when the test is about
// something else.
import { expect } from "vitest";
import type { Page } from "playwright-core";
import { TOTP_PERIOD_SECONDS, totpCode } from "../../src/modules/two-factor/index.js";
import { apiClient } from "./api.js";
import type { RunningServer } from "./browser.js";

const STEP_MS = TOTP_PERIOD_SECONDS * 1000;
const stepAt = (ms: number) => Math.floor(ms / STEP_MS);

/**
 * The phone's authenticator app for one secret. The server takes each 30-second code once and
 * one step of drift either way, so each code handed out is for a step after the last one: the
 * current step's, else the next one's; when both are spent, it waits for the next step.
 */
export function authenticatorApp(secretAsShown: string) {
  const secret = secretAsShown.replace(/\s+/g, "");
  let lastStep = -1;
  return {
    secret,
    async code(): Promise<string> {
      let step = Math.max(stepAt(Date.now()), lastStep + 1);
      if (step > stepAt(Date.now()) + 1) {
        await new Promise((resolve) => setTimeout(resolve, STEP_MS - (Date.now() % STEP_MS) + 50));
        step = Math.max(stepAt(Date.now()), lastStep + 1);
      }
      lastStep = step;
      return totpCode(secret, step * STEP_MS);
    },
    /** A code the server can't accept now: hours away from the clock. */
    wrongCode(): string {
      const code = totpCode(secret, Date.now() - 6 * 60 * 60 * 1000);
      const current = [-1, 0, 1].map((drift) => totpCode(secret, Date.now() + drift * STEP_MS));
      return current.includes(code) ? String((Number(code) + 1) % 1_000_000).padStart(6, "0") : code;
    },
  };
}

export type AuthenticatorApp = ReturnType<typeof authenticatorApp>;

/** Signs `login` in through the API and sets up an authenticator app; returns it and the recovery codes. */
export async function enrolThroughApi(server: RunningServer, slug: string, login: string, password: string) {
  const call = apiClient(server, slug);
  const signedIn = await call("POST", "/session", { login, password });
  expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
  const started = await call("POST", "/me/totp", {});
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  const app = authenticatorApp(String(started.body.secret));
  const confirmed = await call("PUT", "/me/totp", { totpCode: await app.code() });
  expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
  await call("DELETE", "/session");
  return { app, recoveryCodes: confirmed.body.recoveryCodes as string[] };
}

/** The setup key as the page shows it (groups of four), read off the page as a person would. */
export async function readSetupKey(page: Page): Promise<string> {
  const key = page.getByText(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
  await key.waitFor();
  return (await key.textContent()) ?? "";
}

/** The recovery codes as the page lists them. */
export async function readRecoveryCodes(page: Page): Promise<string[]> {
  const list = page.getByRole("list", { name: "Your recovery codes" });
  await list.waitFor();
  return list.getByRole("listitem").allTextContents();
}

/** Whether the QR code image loaded (the CSP allows `data:` images; a blocked one has no size). */
export function qrCodeLoaded(page: Page): Promise<boolean> {
  return page.getByRole("img", { name: /^QR code for your authenticator app/ }).evaluate((image: unknown) => {
    const img = image as { complete: boolean; naturalWidth: number };
    return img.complete && img.naturalWidth > 0;
  });
}
