/**
 * Outbox bodies at rest: a queued reset link is sealed (AES-256-GCM) until the worker delivers
 * it, rows from before sealing still go out, and a body no key opens is given up and recorded
 * instead of retried or sent as it is. Also where the key comes from on each database.
 */
import { randomBytes } from "node:crypto";
import { statSync } from "node:fs";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.js";
import { createRuntime } from "../../src/composition.js";
import { sealContext } from "../../src/modules/messaging/outbox.js";
import { createSecretBox, isSealed } from "../../src/shared/secret-box.js";
import { createTestRuntime, dialects, testCommonPasswords } from "../support/dialects.js";
import {
  SAMPLE_ACCOUNT,
  createTestApp,
  deliverMessages,
  insertStaffMember,
  seedAccount,
  type TestApp,
} from "../support/http.js";
import { startSmtpServer, tokenFrom, type TestSmtpServer } from "../support/smtp.js";

describe.each(dialects)("outbox sealing on %s", (dialect) => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  let accountId: string;

  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => smtp.stop());
  beforeEach(async () => {
    smtp.messages.length = 0;
    t = await createTestApp(dialect, { env: { SMTP_URL: smtp.url } });
    accountId = (await seedAccount(t)).account.id;
    await insertStaffMember(t, accountId, {
      username: "sam",
      password: "front-desk-pass-1",
      email: "sam@acme.example",
    });
  });
  afterEach(async () => t.close());

  const outbox = () => t.runtime.deps.db.selectFrom("outbox_messages").selectAll().orderBy("created_at").execute();

  /** A row as an earlier version, or a tampered database, would have left it. */
  async function insertRow(fields: { id: string; status: "pending" | "queued"; text: string; html: string }) {
    await t.runtime.deps.db
      .insertInto("outbox_messages")
      .values({
        id: fields.id,
        account_id: accountId,
        channel: "email",
        recipient: "sam@acme.example",
        template: "password_reset",
        subject: `Subject of ${fields.id}`,
        text_body: fields.text,
        html_body: fields.html,
        status: fields.status,
        max_attempts: 10,
        next_attempt_at: 0,
        claimed_by: null,
        claimed_until: null,
        last_error: null,
        provider_message_id: null,
        created_at: Date.now(),
        sent_at: null,
      })
      .execute();
  }

  it("keeps a queued reset link sealed until delivery, then erases it", async () => {
    const reply = await t.request({
      method: "POST",
      url: `/api/accounts/${SAMPLE_ACCOUNT.slug}/password-resets`,
      payload: { login: "sam" },
    });
    expect(reply.statusCode).toBe(202);
    await t.runtime.deps.resetRequests.drain();
    const [queued] = await outbox();
    expect(queued).toMatchObject({ status: "queued", recipient: "sam@acme.example" });
    expect(isSealed(queued?.text_body ?? "")).toBe(true);
    expect(isSealed(queued?.html_body ?? "")).toBe(true);

    await deliverMessages(t);
    const [mail] = smtp.messages;
    if (!mail) throw new Error("the reset email did not arrive");
    const token = tokenFrom(mail);
    expect(mail.html).toContain(token);
    for (const body of [queued?.text_body, queued?.html_body]) {
      expect(body).not.toContain(token);
      expect(body).not.toContain("reset-password");
    }
    const [sent] = await outbox();
    expect(sent).toMatchObject({ status: "sent", text_body: "", html_body: "" });
  });

  it("delivers rows queued in plain text before sealing, in their older state", async () => {
    await insertRow({ id: "msg_legacy", status: "pending", text: "Queued by an older node", html: "<p>older</p>" });
    await deliverMessages(t);
    expect(smtp.messages.map((m) => [m.subject, m.text.trim()])).toEqual([
      ["Subject of msg_legacy", "Queued by an older node"],
    ]);
    const [row] = await outbox();
    expect(row).toMatchObject({ status: "sent", text_body: "" });
  });

  const sealedFor = (id: string, recipient = "sam@acme.example") => ({
    id,
    accountId,
    channel: "email" as const,
    recipient,
  });

  it("gives up on a body moved to another row or re-addressed in the table, and records why", async () => {
    const lifted = t.runtime.deps.secretBox.seal(
      "a body from another row",
      sealContext(sealedFor("msg_other"), "text"),
    );
    await insertRow({ id: "msg_moved", status: "queued", text: lifted, html: "" });
    // Sealed for this row, then moved to another business's outbox.
    const own = t.runtime.deps.secretBox.seal("a notice", sealContext(sealedFor("msg_rehomed"), "text"));
    await insertRow({ id: "msg_rehomed", status: "queued", text: own, html: "" });
    await t.runtime.deps.db
      .updateTable("outbox_messages")
      .set({ account_id: null })
      .where("id", "=", "msg_rehomed")
      .execute();
    // A real reset email, then someone with write access to the table points it at themselves.
    await t.request({
      method: "POST",
      url: `/api/accounts/${SAMPLE_ACCOUNT.slug}/password-resets`,
      payload: { login: "sam" },
    });
    await t.runtime.deps.resetRequests.drain();
    await t.runtime.deps.db
      .updateTable("outbox_messages")
      .set({ recipient: "attacker@evil.example" })
      .where("template", "=", "password_reset")
      .execute();

    await deliverMessages(t);
    expect(smtp.messages).toEqual([]);
    const rows = await outbox();
    expect(rows.map((row) => [row.status, row.attempts, row.text_body])).toEqual([
      ["failed", 1, ""],
      ["failed", 1, ""],
      ["failed", 1, ""],
    ]);
    const failures = await t.runtime.deps.db
      .selectFrom("audit_events")
      .select("details")
      .where("action", "=", "message.delivery_failed")
      .execute();
    expect(failures).toHaveLength(3);
    for (const failure of failures) expect(String(failure.details)).toContain("cannot open the message body");
  });

  it("retries a body sealed with a key this node lacks, which a node holding it then delivers", async () => {
    const otherKey = randomBytes(32);
    const sealed = createSecretBox([otherKey]).seal(
      "sealed on a node with the new key",
      sealContext(sealedFor("msg_rotated"), "text"),
    );
    await insertRow({ id: "msg_rotated", status: "queued", text: sealed, html: "" });

    await deliverMessages(t);
    expect(smtp.messages).toEqual([]);
    const [waiting] = await outbox();
    expect(waiting).toMatchObject({ status: "queued", attempts: 1 });
    expect(waiting?.last_error).toMatch(/not among the configured keys/);

    const withKey = await createTestApp(dialect, {
      joinDatabaseOf: t.runtime,
      env: { SMTP_URL: smtp.url, OUTBOX_KEYS: otherKey.toString("base64") },
    });
    try {
      await t.runtime.deps.db.updateTable("outbox_messages").set({ next_attempt_at: 0 }).execute();
      await deliverMessages(withKey);
      expect(smtp.messages.map((m) => m.text.trim())).toEqual(["sealed on a node with the new key"]);
      const [sent] = await outbox();
      expect(sent).toMatchObject({ status: "sent", attempts: 2, text_body: "" });
    } finally {
      await withKey.close();
    }
  });
});

describe("where the outbox key comes from", () => {
  it("on SQLite, a key file beside the database, readable by its owner only and kept across restarts", async () => {
    const first = await createTestRuntime("sqlite");
    try {
      const path = `${first.location.databaseUrl.slice("sqlite:".length)}.outbox-key`;
      expect(statSync(path).mode & 0o777).toBe(0o600);
      const sealed = first.deps.secretBox.seal("a reset link", "ctx");
      const second = await createTestRuntime("sqlite", { joinDatabaseOf: first });
      try {
        expect(second.deps.secretBox.open(sealed, "ctx")).toBe("a reset link");
      } finally {
        await second.close();
      }
    } finally {
      await first.close();
    }
  });

  it("on PostgreSQL, OUTBOX_KEYS must be set: every node opens what the others queue", async () => {
    const config = loadConfig({ DATABASE_URL: "postgres://postgres@127.0.0.1:1/none", LOG_LEVEL: "silent" });
    await expect(createRuntime(config, { commonPasswords: testCommonPasswords() })).rejects.toThrow(
      /^Invalid configuration: OUTBOX_KEYS is required with PostgreSQL/,
    );
  });
});
