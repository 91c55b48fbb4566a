import type { Generated, Selectable } from "kysely";

/**
 * `queued` → `delivering` → `sent` | `failed`; a text whose attempt may have reached the provider
 * without an answer goes `delivering` → `uncertain` → `sent` | `failed` (see outbox-worker.ts).
 * Rows written before bodies were sealed use `pending` and `sending` instead: the workers of older
 * nodes claim only those, so they never pick up a sealed body (which they would send as it is)
 * during a rolling upgrade. This version delivers both kinds and writes only the new states.
 */
export type OutboxStatus = "queued" | "delivering" | "uncertain" | "sent" | "failed" | LegacyOutboxStatus;
export type LegacyOutboxStatus = "pending" | "sending";
/** `backchannel_logout`: an OpenID Back-Channel Logout token POSTed to an app (identity-provider). */
export type OutboxChannel = "email" | "sms" | "backchannel_logout";

/**
 * The transactional outbox: a message is a row written in the same transaction as the change
 * that causes it, and delivered afterwards by the worker. Bodies can hold a reset link, so they
 * are sealed (AES-256-GCM, see shared/secret-box.ts) and erased once the message is delivered or
 * given up.
 */
export interface OutboxMessagesTable {
  id: string;
  account_id: string | null;
  channel: OutboxChannel;
  recipient: string;
  template: string;
  subject: string;
  /** Sealed; plain text only in rows from before sealing. */
  text_body: string;
  /** Sealed; plain text only in rows from before sealing. */
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
  /**
   * When the current attempt was handed to the provider; null while no attempt is under way. A
   * claim that expires with it set means the provider may have the message.
   */
  attempt_started_at: Generated<number | null>;
  /** When the text's outcome became uncertain (status `uncertain`); it is settled by asking the provider. */
  uncertain_since: Generated<number | null>;
}

export type OutboxMessageRow = Selectable<OutboxMessagesTable>;
