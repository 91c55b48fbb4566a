import type { Executor } from "../../db/database.js";
import type { Clock } from "../../shared/clock.js";
import { newId, type Random } from "../../shared/random.js";
import type { ComposedEmail } from "./compose.js";
import { insertOutboxMessage } from "./outbox.repository.js";

/** A reset link is worthless after 30 minutes; retries stop well within a day. */
export const EMAIL_MAX_ATTEMPTS = 10;
/** An SMS link lives 10 minutes: a few tries within that, then give up (and refund). */
export const SMS_MAX_ATTEMPTS = 5;

/** Queues an email in the caller's transaction: it is sent only if the change commits. */
export async function enqueueEmail(
  tx: Executor,
  deps: { clock: Clock; random: Random },
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
    text: message.email.text,
    html: message.email.html,
    maxAttempts: EMAIL_MAX_ATTEMPTS,
    now: deps.clock.now(),
  });
  return id;
}

/** Queues a text message in the caller's transaction; returns its id (the credit ledger refers to it). */
export async function enqueueSms(
  tx: Executor,
  deps: { clock: Clock; random: Random },
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
    text: message.text,
    html: "",
    maxAttempts: SMS_MAX_ATTEMPTS,
    now: deps.clock.now(),
  });
  return id;
}
