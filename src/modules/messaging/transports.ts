/**
 * Where messages go. SMTP (nodemailer) when SMTP_URL is set; otherwise the dev mailbox, which
 * keeps the last messages in memory, logs them and lists them at /dev/mailbox, so that
 * `npm start` alone lets a person try every flow.
 */
import nodemailer from "nodemailer";
import type { OutboxChannel } from "./outbox.table.js";

export interface OutgoingMessage {
  readonly id: string;
  readonly channel: OutboxChannel;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export interface DeliveryResult {
  readonly providerMessageId: string | null;
}

/** A failure the provider says is final (bad address, refused for good): no retry. */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentDeliveryError";
  }
}

/**
 * The request may have reached the provider, but no answer came (a timeout after it was sent, a
 * connection cut mid-reply, a gateway error): sending again could deliver it twice. The outbox
 * settles such a message by asking the provider (`lookup`) instead of retrying it.
 */
export class UncertainDeliveryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "UncertainDeliveryError";
  }
}

/** A message as the provider may have recorded it: where it went, what it said, from when. */
export interface LookupQuery {
  readonly to: string;
  readonly text: string;
  /** Epoch ms: when the attempt whose outcome is unknown began. */
  readonly sentAfter: number;
}

export type LookupResult =
  { readonly found: true; readonly providerMessageId: string | null } | { readonly found: false };

export interface MessageTransport {
  readonly name: string;
  deliver(message: OutgoingMessage): Promise<DeliveryResult>;
  /**
   * Whether the provider has the message (for settling an uncertain attempt). Throws when it
   * can't be asked. Transports without it can't settle: their uncertain messages are given up.
   */
  lookup?(query: LookupQuery): Promise<LookupResult>;
  close?(): Promise<void>;
}

export function createSmtpTransport(smtpUrl: string, from: string): MessageTransport {
  const url = new URL(smtpUrl);
  const transporter = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port || (url.protocol === "smtps:" ? 465 : 587)),
    secure: url.protocol === "smtps:",
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    name: "smtp",
    async deliver(message) {
      try {
        const info = await transporter.sendMail({
          from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          headers: { "X-Staffgate-Message-Id": message.id },
        });
        return { providerMessageId: info.messageId ?? null };
      } catch (error) {
        const responseCode = (error as { responseCode?: number }).responseCode;
        // 5xx replies to the envelope are final (RFC 5321 §4.2.1); 4xx and network errors are not.
        if (responseCode !== undefined && responseCode >= 500) {
          throw new PermanentDeliveryError(`SMTP ${responseCode}: ${(error as Error).message}`);
        }
        throw error;
      }
    },
    async close() {
      transporter.close();
    },
  };
}

export interface MailboxEntry extends OutgoingMessage {
  readonly deliveredAt: string;
}

export interface DevMailbox extends MessageTransport {
  list(): readonly MailboxEntry[];
}

export function createDevMailbox(options: {
  log: (entry: MailboxEntry) => void;
  now: () => number;
  capacity?: number;
}): DevMailbox {
  const capacity = options.capacity ?? 200;
  const entries: MailboxEntry[] = [];
  return {
    name: "dev-mailbox",
    async deliver(message) {
      const entry = { ...message, deliveredAt: new Date(options.now()).toISOString() };
      entries.unshift(entry);
      entries.length = Math.min(entries.length, capacity);
      options.log(entry);
      return { providerMessageId: `mailbox-${message.id}` };
    },
    list: () => entries,
  };
}
