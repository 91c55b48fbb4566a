/**
 * The contract every SMS transport keeps, run against the Twilio adapter (talking to a local
 * server that speaks the Twilio Messages API) and against the dev mailbox.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  PermanentDeliveryError,
  createDevMailbox,
  createTwilioTransport,
  type MessageTransport,
} from "../../src/modules/messaging/index.js";
import { startFakeTwilio, type FakeTwilio } from "../support/twilio.js";

interface Harness {
  readonly transport: MessageTransport;
  /** What the far end received, newest last: [to, body]. */
  received(): Array<[string, string]>;
}

let twilio: FakeTwilio;
beforeAll(async () => {
  twilio = await startFakeTwilio();
});
afterAll(async () => twilio.close());

const harnesses: Array<[string, () => Harness]> = [
  [
    "twilio",
    () => ({
      transport: createTwilioTransport(
        {
          accountSid: twilio.accountSid,
          authToken: twilio.authToken,
          fromNumber: "+15550001111",
          apiBaseUrl: twilio.baseUrl,
        },
        { retryDelaysMs: [10, 20], timeoutMs: 500 },
      ),
      received: () => twilio.messages.map((m) => [m.to, m.body]),
    }),
  ],
  [
    "dev mailbox",
    () => {
      const mailbox = createDevMailbox({ now: () => Date.now(), log: () => undefined });
      return { transport: mailbox, received: () => [...mailbox.list()].reverse().map((m) => [m.to, m.text]) };
    },
  ],
];

const message = (to: string, text: string) => ({
  id: `msg_${Math.random()}`,
  channel: "sms" as const,
  to,
  subject: "",
  text,
  html: "",
});

describe.each(harnesses)("SMS transport contract: %s", (_name, makeHarness) => {
  it("delivers the exact text to the exact number and returns a provider id", async () => {
    const harness = makeHarness();
    const text = "Acme Swim password reset link (valid 10 min): http://localhost:3000/reset-password#token=abc";
    const result = await harness.transport.deliver(message("+14155550100", text));
    expect(result.providerMessageId).toBeTruthy();
    expect(harness.received().at(-1)).toEqual(["+14155550100", text]);
  });

  it("keeps GSM text intact, accents and symbols included", async () => {
    const harness = makeHarness();
    const text = "Café Ñandú: 100% @home £5 — ok";
    await harness.transport.deliver(message("+447700900123", text));
    expect(harness.received().at(-1)?.[1]).toBe(text);
  });
});

describe("the Twilio adapter against the Twilio Messages API", () => {
  const adapter = (overrides: Partial<{ authToken: string }> = {}) =>
    createTwilioTransport(
      {
        accountSid: twilio.accountSid,
        authToken: overrides.authToken ?? twilio.authToken,
        fromNumber: "+15550001111",
        apiBaseUrl: twilio.baseUrl,
      },
      { retryDelaysMs: [10, 20], timeoutMs: 300 },
    );

  it("retries 5xx answers with back-off and then succeeds", async () => {
    const before = twilio.requests;
    twilio.failNext(503, 2);
    await adapter().deliver(message("+14155550101", "after two failures"));
    expect(twilio.requests - before).toBe(3);
    expect(twilio.messages.at(-1)?.body).toBe("after two failures");
  });

  it("retries a timeout", async () => {
    twilio.hangNext(1);
    await adapter().deliver(message("+14155550102", "after a timeout"));
    expect(twilio.messages.at(-1)?.body).toBe("after a timeout");
  });

  it("gives up after its quick retries with a retryable error, leaving the rest to the outbox", async () => {
    twilio.failNext(500, 3);
    const error = await adapter()
      .deliver(message("+14155550103", "never"))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
  });

  it("never retries a 4xx: a bad number or bad credentials are final", async () => {
    const before = twilio.requests;
    await expect(adapter().deliver(message("not-a-number", "x"))).rejects.toBeInstanceOf(PermanentDeliveryError);
    expect(twilio.requests - before).toBe(1);
    await expect(adapter({ authToken: "wrong" }).deliver(message("+14155550104", "x"))).rejects.toThrow(/401/);
  });

  it("treats 429 as 'later', not as final", async () => {
    twilio.failNext(429, 3);
    const error = await adapter()
      .deliver(message("+14155550105", "rate limited"))
      .catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
  });
});
