/**
 * A slow mail server never slows a request: the reset request is answered before the SMTP
 * server has received anything, and the message still arrives, once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, deliverMessages, insertStaffMember, seedAccount, type TestApp } from "../support/http.js";
import { startSmtpServer, type TestSmtpServer } from "../support/smtp.js";

describe("a slow SMTP server", () => {
  let smtp: TestSmtpServer;
  let t: TestApp;

  beforeAll(async () => {
    smtp = await startSmtpServer(0, { delayMs: 1500 });
    t = await createTestApp("sqlite", { env: { SMTP_URL: smtp.url } });
    const { account } = await seedAccount(t);
    await insertStaffMember(t, account.id, {
      username: "sam",
      password: "front-desk-pass-1",
      email: "sam@acme.example",
    });
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it("doesn't hold up the reply, and the message arrives once", { timeout: 30_000 }, async () => {
    t.runtime.outboxWorker.start();
    const reply = await t.request({
      method: "POST",
      url: "/api/accounts/acme-swim/password-resets",
      payload: { login: "sam" },
    });
    expect(reply.statusCode).toBe(202);
    expect(smtp.messages).toHaveLength(0); // answered before the mail server had anything
    for (let i = 0; i < 100 && smtp.messages.length === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    await t.runtime.outboxWorker.stop();
    await deliverMessages(t);
    expect(smtp.messages.filter((m) => m.to === "sam@acme.example")).toHaveLength(1);
    const [row] = await t.runtime.deps.db.selectFrom("outbox_messages").selectAll().execute();
    expect(row).toMatchObject({ status: "sent", attempts: 1 });
  });
});
