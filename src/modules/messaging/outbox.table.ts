import type { Generated, Selectable } from "kysely";

export type OutboxStatus = "pending" | "sending" | "sent" | "failed";
export type OutboxChannel = "email" | "sms";

/**
 * The transactional outbox: a message is a row written in the same transaction as the change
 * that causes it, and delivered afterwards by the worker. Bodies can hold a reset link, so they
 * are erased once the message is delivered or given up.
 */
export interface OutboxMessagesTable {
  id: string;
  account_id: string | null;
  channel: OutboxChannel;
  recipient: string;
  template: string;
  subject: string;
  text_body: string;
  html_body: string;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  max_attempts: number;
  next_attempt_at: number;
  claimed_by: string | null;
  claimed_until: number | null;
  last_error: string | null;
  provider_message_id: string | null;
  created_at: number;
  sent_at: number | null;
}

export type OutboxMessageRow = Selectable<OutboxMessagesTable>;
