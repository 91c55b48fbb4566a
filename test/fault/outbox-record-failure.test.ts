/**
 * A database error after the provider accepted a message never puts it back in the queue: the
 * SMTP server and Twilio each receive it once, and the worker records it as sent when the
 * database answers again. If the database stays away past the worker's record retries and the
 * message's lease, a text is looked up at Twilio rather than sent again; an email is sent again
 * — the one repeat at-least-once delivery still allows (docs/operations.md).
 *
 * The fault: a Kysely plugin on the worker's connection fails the statement that records a
 * message as sent (`sent_at = …`), as a dropped connection or a failover would.
 */
import {
  ColumnNode,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from "kysely";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  composeEmail,
  createOutboxWorker,
  createSmtpTransport,
  createTwilioTransport,
  enqueueEmail,
  enqueueSms,
  type MessageTransport,
  type OutboxWorker,
} from "../../src/modules/messaging/index.js";
import { ManualClock } from "../../src/shared/clock.js";
import { dialects } from "../support/dialects.js";
import { createTestApp, seedAccount, type TestApp } from "../support/http.js";
import { startSmtpServer, type TestSmtpServer } from "../support/smtp.js";
import { startFakeTwilio, type FakeTwilio } from "../support/twilio.js";

/** Fails the next `failures` statements that record a message as sent, before they reach the database. */
class FailRecordingSent implements KyselyPlugin {
  failures = 0;
  failed = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const node = args.node;
    const recordsSent =
      node.kind === "UpdateQueryNode" &&
      (node.updates ?? []).some((update) => ColumnNode.is(update.column) && update.column.column.name === "sent_at");
    if (recordsSent && this.failures > 0) {
      this.failures--;
      this.failed++;
      throw new Error("Connection terminated unexpectedly (simulated)");
    }
    return node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

const LEASE_S = 60;

describe.each(dialects)("a database error after the provider accepted a message, on %s", (dialect) => {
  let smtp: TestSmtpServer;
  let twilio: FakeTwilio;
  let clock: ManualClock;
  let t: TestApp;
  let accountId: string;
  let faults: FailRecordingSent;
  let transports: { email: MessageTransport; sms: MessageTransport };
  let worker: OutboxWorker;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    twilio = await startFakeTwilio();
  });
  afterAll(async () => {
    await smtp.stop();
    await twilio.close();
  });

  beforeEach(async () => {
    smtp.messages.length = 0;
    twilio.messages.length = 0;
    clock = new ManualClock(Date.now());
    t = await createTestApp(dialect, { clock });
    accountId = (await seedAccount(t)).account.id;
    faults = new FailRecordingSent();
    transports = {
      email: createSmtpTransport(smtp.url, "Staffgate <no-reply@localhost>"),
      sms: createTwilioTransport(
        {
          accountSid: twilio.accountSid,
          authToken: twilio.authToken,
          fromNumber: "+15550001111",
          apiBaseUrl: twilio.baseUrl,
        },
        { timeoutMs: 500, retryDelaysMs: [] },
      ),
    };
    const deps = t.runtime.deps;
    worker = createOutboxWorker(
      {
        db: deps.db.withPlugin(faults),
        dialect: deps.dialect,
        clock,
        random: deps.random,
        secretBox: deps.secretBox,
        transports,
      },
      { recordRetryDelaysMs: [10, 20, 40] },
    );
  });
  afterEach(async () => {
    await transports.email.close?.();
    await t.close();
  });

  async function queue(channel: "email" | "sms", to: string): Promise<void> {
    const deps = t.runtime.deps;
    await deps.db.transaction().execute(async (tx) => {
      if (channel === "email") {
        await enqueueEmail(tx, deps, {
          accountId,
          to,
          template: "password_reset",
          email: composeEmail({ businessName: "Acme Swim", subject: "Hello", blocks: [] }),
        });
      } else {
        await enqueueSms(tx, deps, { accountId, to, template: "password_reset", text: "Acme Swim: hello" });
      }
    });
  }
  const row = () => t.runtime.deps.db.selectFrom("outbox_messages").selectAll().executeTakeFirstOrThrow();
  /** Every retry delay and lease that could lead to a second send passes, with the worker running. */
  async function aDayLater() {
    for (let hour = 0; hour < 24; hour++) {
      clock.advanceSeconds(60 * 60);
      while ((await worker.runOnce()) > 0) {
        // until nothing is due
      }
    }
  }

  it("doesn't re-queue an email the SMTP server accepted when recording it fails once", async () => {
    await queue("email", "sam@acme.example");
    faults.failures = 1;
    await worker.runOnce();
    expect(faults.failed).toBe(1);
    expect(smtp.messages).toHaveLength(1);
    expect(await row()).toMatchObject({ status: "sent", attempts: 1 });
    await aDayLater();
    expect(smtp.messages).toHaveLength(1);
  });

  it("doesn't re-queue a text Twilio accepted when recording it fails once", async () => {
    await queue("sms", "+14155550100");
    faults.failures = 1;
    await worker.runOnce();
    expect(faults.failed).toBe(1);
    expect(twilio.messages).toHaveLength(1);
    expect(await row()).toMatchObject({ status: "sent", provider_message_id: twilio.messages[0]?.sid });
    await aDayLater();
    expect(twilio.messages).toHaveLength(1);
  });

  it("looks a text up at Twilio when the database stays away past every retry, instead of sending it again", async () => {
    await queue("sms", "+14155550100");
    faults.failures = 4; // the write and its 3 retries
    await worker.runOnce();
    expect(twilio.messages).toHaveLength(1);
    expect(await row()).toMatchObject({ status: "delivering" }); // the claim stands until its lease runs out
    clock.advanceSeconds(LEASE_S + 1);
    await worker.runOnce();
    expect(await row()).toMatchObject({ status: "sent", provider_message_id: twilio.messages[0]?.sid });
    await aDayLater();
    expect(twilio.messages).toHaveLength(1);
  });

  it("sends an email again in that case: the documented at-least-once repeat", async () => {
    await queue("email", "sam@acme.example");
    faults.failures = 4;
    await worker.runOnce();
    expect(smtp.messages).toHaveLength(1);
    expect(await row()).toMatchObject({ status: "delivering" });
    clock.advanceSeconds(LEASE_S - 1);
    await worker.runOnce();
    expect(smtp.messages).toHaveLength(1); // not before the lease runs out
    clock.advanceSeconds(2);
    await worker.runOnce();
    expect(smtp.messages).toHaveLength(2);
    expect(await row()).toMatchObject({ status: "sent", attempts: 2 });
  });
});
