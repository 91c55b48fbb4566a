/**
 * The contract every SMS transport keeps, run against the Twilio adapter (talking to a local
 * server that speaks the Twilio Messages API) and against the dev mailbox; then what the Twilio
 * adapter does when Twilio fails, and how it looks a message up to settle an uncertain attempt.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  PermanentDeliveryError,
  UncertainDeliveryError,
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
  const adapter = (overrides: Partial<{ authToken: string; apiBaseUrl: string }> = {}) =>
    createTwilioTransport(
      {
        accountSid: twilio.accountSid,
        authToken: overrides.authToken ?? twilio.authToken,
        fromNumber: "+15550001111",
        apiBaseUrl: overrides.apiBaseUrl ?? twilio.baseUrl,
      },
      { retryDelaysMs: [10, 20], timeoutMs: 300 },
    );
  const sentTo = (to: string) => twilio.messages.filter((m) => m.to === to);

  it("retries what Twilio turned away unread (503, 429) with back-off, then succeeds", async () => {
    const before = twilio.requests;
    twilio.failNext(503);
    twilio.failNext(429);
    await adapter().deliver(message("+14155550101", "after two refusals"));
    expect(twilio.requests - before).toBe(3);
    expect(sentTo("+14155550101").map((m) => m.body)).toEqual(["after two refusals"]);
  });

  it("retries a connection that couldn't be made: the request never left", async () => {
    const closed = await startFakeTwilio();
    const apiBaseUrl = closed.baseUrl;
    await closed.close();
    const error = await adapter({ apiBaseUrl })
      .deliver(message("+14155550106", "nobody listening"))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(UncertainDeliveryError);
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
  });

  it("never sends again after a timeout once Twilio has the message: one request, one text", async () => {
    const before = twilio.requests;
    twilio.acceptThenHangNext();
    const error = await adapter()
      .deliver(message("+14155550102", "taken, then no answer"))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UncertainDeliveryError);
    expect(twilio.requests - before).toBe(1);
    expect(sentTo("+14155550102")).toHaveLength(1);
  });

  it("calls a timeout before any answer uncertain too, and doesn't retry it", async () => {
    const before = twilio.requests;
    twilio.hangNext();
    const error = await adapter()
      .deliver(message("+14155550107", "no answer at all"))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UncertainDeliveryError);
    expect(twilio.requests - before).toBe(1);
  });

  it("calls a 500 uncertain (Twilio may have created the message) and doesn't retry it", async () => {
    const before = twilio.requests;
    twilio.acceptThenFailNext(500);
    const error = await adapter()
      .deliver(message("+14155550108", "created, then a 500"))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UncertainDeliveryError);
    expect(twilio.requests - before).toBe(1);
    expect(sentTo("+14155550108")).toHaveLength(1);
  });

  it("gives up after its quick retries with a retryable error, leaving the rest to the outbox", async () => {
    twilio.failNext(503, 3);
    const error = await adapter()
      .deliver(message("+14155550103", "never"))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
    expect(error).not.toBeInstanceOf(UncertainDeliveryError);
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

  it("looks a message up by number, day sent and exact text (GET Messages.json?To=…&DateSent>=…)", async () => {
    const lookup = adapter().lookup;
    expect(lookup).toBeDefined();
    const startedAt = Date.now();
    twilio.acceptThenHangNext();
    await adapter()
      .deliver(message("+14155550109", "find me: token=abc"))
      .catch(() => undefined);
    const sid = sentTo("+14155550109")[0]?.sid;
    const before = twilio.listRequests;
    expect(await lookup?.({ to: "+14155550109", text: "find me: token=abc", sentAfter: startedAt })).toEqual({
      found: true,
      providerMessageId: sid,
    });
    expect(twilio.listRequests - before).toBe(1);
    expect(await lookup?.({ to: "+14155550109", text: "find me: token=xyz", sentAfter: startedAt })).toEqual({
      found: false,
    });
    expect(await lookup?.({ to: "+14155550199", text: "find me: token=abc", sentAfter: startedAt })).toEqual({
      found: false,
    });
    // Only messages sent on or after the attempt's day are listed.
    const inTwoDays = startedAt + 2 * 24 * 60 * 60 * 1000;
    expect(await lookup?.({ to: "+14155550109", text: "find me: token=abc", sentAfter: inTwoDays })).toEqual({
      found: false,
    });
  });

  it("follows Twilio's pages when a number got many texts", async () => {
    const startedAt = Date.now();
    const transport = adapter();
    await transport.deliver(message("+14155550110", "the first, on a later page"));
    for (let i = 0; i < 120; i++) await transport.deliver(message("+14155550110", `filler ${i}`));
    const before = twilio.listRequests;
    const found = await transport.lookup?.({
      to: "+14155550110",
      text: "the first, on a later page",
      sentAfter: startedAt,
    });
    expect(found).toMatchObject({ found: true });
    expect(twilio.listRequests - before).toBe(2);
  });

  it("fails a look-up that Twilio doesn't answer, rather than calling the message absent", async () => {
    twilio.failNext(503);
    await expect(adapter().lookup?.({ to: "+14155550111", text: "anything", sentAfter: Date.now() })).rejects.toThrow(
      /503/,
    );
  });
});
