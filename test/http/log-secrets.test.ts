/**
 * Runs the main flows with debug logging and searches every log line for the passwords,
 * tokens and session ids they used (SECURITY.md: logs never contain them).
 */
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/http/app.js";
import { REDACTED_PATHS } from "../../src/http/logger.js";
import { createSupportAgent } from "../../src/modules/support/index.js";
import { createTestRuntime } from "../support/dialects.js";
import {
  ORIGIN,
  SAMPLE_ACCOUNT,
  deliverMessages,
  insertStaffMember,
  seedAccount,
  sessionCookie,
  type TestApp,
} from "../support/http.js";
import { startSmtpServer, tokenFrom, type TestSmtpServer } from "../support/smtp.js";

describe("logs during the main flows", () => {
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => smtp.stop());

  it("hold no password, token or session id", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = pino({ level: "debug", redact: { paths: REDACTED_PATHS, censor: "[redacted]" } }, sink);
    const runtime = await createTestRuntime("sqlite", { env: { SMTP_URL: smtp.url, LOG_LEVEL: "debug" }, logger });
    const app = await buildApp(runtime.deps, { logger });
    const t: TestApp = {
      app,
      runtime,
      request: ({ cookie, headers, ...rest }) =>
        app.inject({ ...rest, headers: { origin: ORIGIN, ...(cookie ? { cookie } : {}), ...headers } }),
      close: async () => undefined,
    };
    const secrets: string[] = [SAMPLE_ACCOUNT.ownerPassword as string, "front-desk-pass-1"];
    try {
      const { account } = await seedAccount(t);
      await insertStaffMember(t, account.id, {
        username: "sam",
        password: "front-desk-pass-1",
        email: "sam@acme.example",
      });
      const BASE = "/api/accounts/acme-swim";
      const login = await t.request({
        method: "POST",
        url: `${BASE}/session`,
        payload: { login: "admin", password: SAMPLE_ACCOUNT.ownerPassword },
      });
      const owner = sessionCookie(login);
      secrets.push(owner.split("=")[1] as string);
      await t.request({
        method: "POST",
        url: `${BASE}/session`,
        payload: { login: "sam", password: "Wrong-Guess-123" },
      });
      secrets.push("Wrong-Guess-123");
      await t.request({
        method: "POST",
        url: `${BASE}/password-check`,
        cookie: owner,
        payload: { password: "Checked-While-Typing-9" },
      });
      secrets.push("Checked-While-Typing-9");
      await t.request({
        method: "PUT",
        url: `${BASE}/staff/stf_sam/password`,
        cookie: owner,
        payload: { password: "Admin-Set-Pass-77" },
      });
      secrets.push("Admin-Set-Pass-77");
      await t.request({ method: "POST", url: `${BASE}/password-resets`, payload: { login: "sam" } });
      await deliverMessages(t);
      const token = tokenFrom(smtp.messages.find((m) => m.to === "sam@acme.example" && m.subject.startsWith("Reset"))!);
      secrets.push(token);
      await t.request({ method: "POST", url: "/api/password-resets/lookup", payload: { token } });
      await t.request({
        method: "POST",
        url: "/api/password-resets/complete",
        payload: { token, password: "Reset-Done-Pass-5", passwordConfirmation: "Reset-Done-Pass-5" },
      });
      secrets.push("Reset-Done-Pass-5");
      await createSupportAgent(runtime.deps, {
        email: "ann@staffgate.example",
        name: "Ann",
        password: "granite-orchard-lamp-19",
      });
      secrets.push("granite-orchard-lamp-19");
      const agent = await t.request({
        method: "POST",
        url: "/api/support/session",
        payload: { email: "ann@staffgate.example", password: "granite-orchard-lamp-19" },
      });
      const supportToken = agent.cookies.find((c) => c.name === "staffgate_support")?.value as string;
      secrets.push(supportToken);
      await t.request({ method: "GET", url: "/api/support/accounts", cookie: `staffgate_support=${supportToken}` });
      await t.request({ method: "DELETE", url: `${BASE}/session`, cookie: owner });

      const log = lines.join("");
      // One line per request (src/http/logger.ts), plus what the use cases log.
      expect(lines.length).toBeGreaterThanOrEqual(10);
      for (const secret of secrets) expect(log, `log contains ${secret.slice(0, 4)}…`).not.toContain(secret);
    } finally {
      await app.close();
      await runtime.close();
    }
  });
});
