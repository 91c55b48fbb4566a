// The dev mailbox of a test server (no SMTP_URL): what the outbox worker delivered, as it goes.
import { expect } from "vitest";
import type { MailboxEntry } from "../../src/modules/messaging/index.js";
import type { RunningServer } from "./browser.js";

function delivered(server: RunningServer): readonly MailboxEntry[] {
  const mailbox = server.runtime.deps.devMailbox;
  if (!mailbox) throw new Error("expected the dev mailbox (the server runs without SMTP_URL)");
  return mailbox.list();
}

/** Emails to `to` whose subject starts with `subject`, oldest first. */
export function mailTo(server: RunningServer, to: string, subject: string): MailboxEntry[] {
  return delivered(server)
    .filter((entry) => entry.channel === "email" && entry.to === to && entry.subject.startsWith(subject))
    .reverse();
}

/** Waits (up to 10 s) for the `count`-th email to `to` whose subject starts with `subject`. */
export async function waitForMail(
  server: RunningServer,
  to: string,
  subject: string,
  count = 1,
): Promise<MailboxEntry> {
  await expect
    .poll(() => mailTo(server, to, subject).length, { timeout: 10_000, interval: 100 })
    .toBeGreaterThanOrEqual(count);
  return mailTo(server, to, subject)[count - 1] as MailboxEntry;
}

/** The link to `path` (e.g. "/unlock") in an email's text, token and all. */
export function linkIn(mail: MailboxEntry, path: string): string {
  const escaped = path.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const link = new RegExp(`(\\S+${escaped}#token=[A-Za-z0-9_-]+)`).exec(mail.text)?.[1];
  if (!link) throw new Error(`no ${path} link in: ${mail.text}`);
  return link;
}
