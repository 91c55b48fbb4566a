import type { Executor } from "../../db/database.js";
import type { Clock } from "../../shared/clock.js";
import { newId, type Random } from "../../shared/random.js";
import type { SecretBox } from "../../shared/secret-box.js";
import type { ComposedEmail } from "./compose.js";
import { insertOutboxMessage } from "./outbox.repository.js";

/** A reset link is worthless after 30 minutes; retries stop well within a day. */
export const EMAIL_MAX_ATTEMPTS = 10;
/** An SMS link lives 10 minutes: a few tries within that, then give up (and refund). */
export const SMS_MAX_ATTEMPTS = 5;

export interface EnqueueDeps {
  readonly clock: Clock;
  readonly random: Random;
  readonly secretBox: SecretBox;
}

/** The context a body is sealed for: its row and field, so it opens nowhere else. */
export function sealContext(messageId: string, field: "text" | "html"): string {
  return `outbox:${messageId}:${field}`;
}

function sealBodies(deps: EnqueueDeps, id: string, text: string, html: string) {
  return {
    sealedText: deps.secretBox.seal(text, sealContext(id, "text")),
    sealedHtml: html === "" ? "" : deps.secretBox.seal(html, sealContext(id, "html")),
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
    ...sealBodies(deps, id, message.email.text, message.email.html),
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
    ...sealBodies(deps, id, message.text, ""),
    maxAttempts: SMS_MAX_ATTEMPTS,
    now: deps.clock.now(),
  });
  return id;
}
