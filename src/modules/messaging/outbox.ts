import type { Executor } from "../../db/database.js";
import type { Clock } from "../../shared/clock.js";
import { newId, type Random } from "../../shared/random.js";
import type { SecretBox } from "../../shared/secret-box.js";
import type { ComposedEmail } from "./compose.js";
import type { OutboxChannel } from "./outbox.table.js";
import { insertOutboxMessage } from "./outbox.repository.js";

/** A reset link is worthless after 30 minutes; retries stop well within a day. */
export const EMAIL_MAX_ATTEMPTS = 10;
/** An SMS link lives 10 minutes: a few tries within that, then give up (and refund). */
export const SMS_MAX_ATTEMPTS = 5;
/** An app that is down for a while still hears of the sign-out: retries span about 40 minutes. */
export const BACKCHANNEL_LOGOUT_MAX_ATTEMPTS = 10;

export interface EnqueueDeps {
  readonly clock: Clock;
  readonly random: Random;
  readonly secretBox: SecretBox;
}

/** What a sealed body is bound to: its row and field, and where the row says to send it. */
export interface SealedFor {
  readonly id: string;
  readonly accountId: string | null;
  readonly channel: OutboxChannel;
  readonly recipient: string;
}

/**
 * The context a body is sealed for: a body opens only in its own row and field, and only while
 * the row still names the recipient it was queued for (someone able to edit the table can't
 * redirect a reset link to themselves).
 */
export function sealContext(message: SealedFor, field: "text" | "html"): string {
  return JSON.stringify(["outbox", message.id, field, message.channel, message.accountId, message.recipient]);
}

function sealBodies(deps: EnqueueDeps, message: SealedFor, text: string, html: string) {
  return {
    sealedText: deps.secretBox.seal(text, sealContext(message, "text")),
    sealedHtml: html === "" ? "" : deps.secretBox.seal(html, sealContext(message, "html")),
  };
}

/** Queues an email in the caller's transaction: it is sent only if the change commits. */
export async function enqueueEmail(
  tx: Executor,
  deps: EnqueueDeps,
  message: { accountId: string | null; to: string; template: string; email: ComposedEmail },
): Promise<string> {
  const id = newId(deps.random, "msg");
  await insertOutboxMessage(tx, {
    id,
    accountId: message.accountId,
    channel: "email",
    recipient: message.to,
    template: message.template,
    subject: message.email.subject,
    ...sealBodies(
      deps,
      { id, accountId: message.accountId, channel: "email", recipient: message.to },
      message.email.text,
      message.email.html,
    ),
    maxAttempts: EMAIL_MAX_ATTEMPTS,
    now: deps.clock.now(),
  });
  return id;
}

/** Queues a text message in the caller's transaction; returns its id (the credit ledger refers to it). */
export async function enqueueSms(
  tx: Executor,
  deps: EnqueueDeps,
  message: { accountId: string; to: string; template: string; text: string },
): Promise<string> {
  const id = newId(deps.random, "msg");
  await insertOutboxMessage(tx, {
    id,
    accountId: message.accountId,
    channel: "sms",
    recipient: message.to,
    template: message.template,
    subject: "",
    ...sealBodies(deps, { id, accountId: message.accountId, channel: "sms", recipient: message.to }, message.text, ""),
    maxAttempts: SMS_MAX_ATTEMPTS,
    now: deps.clock.now(),
  });
  return id;
}

/**
 * Queues an OpenID Back-Channel Logout for one app in the caller's transaction. `body` is what
 * the identity provider's transport needs to make the logout token when it delivers (it signs
 * then, with the key that is first at that moment); `to` is the app's back-channel logout URI.
 */
export async function enqueueBackchannelLogout(
  tx: Executor,
  deps: EnqueueDeps,
  message: { accountId: string | null; to: string; body: string },
): Promise<string> {
  const id = newId(deps.random, "msg");
  await insertOutboxMessage(tx, {
    id,
    accountId: message.accountId,
    channel: "backchannel_logout",
    recipient: message.to,
    template: "backchannel_logout",
    subject: "",
    ...sealBodies(
      deps,
      { id, accountId: message.accountId, channel: "backchannel_logout", recipient: message.to },
      message.body,
      "",
    ),
    maxAttempts: BACKCHANNEL_LOGOUT_MAX_ATTEMPTS,
    now: deps.clock.now(),
  });
  return id;
}
