/**
 * `unconfirmed` changes nothing (0): it records that a text's credit was kept although nobody
 * could confirm the text went out (its provider could not be asked; see outbox-worker.ts).
 */
export type LedgerKind = "grant" | "debit" | "refund" | "unconfirmed";

/** Append-only: one row per change to an account's SMS credit balance. */
export interface SmsCreditLedgerTable {
  id: string;
  account_id: string;
  /**
   * 1, 2, 3… per account. Every append first updates the account's balance row, which
   * serializes appends per account, so max + 1 is race-free.
   */
  seq: number;
  at: number;
  kind: LedgerKind;
  /** +N for grants and refunds, -1 for a debit, 0 for a note. */
  change: number;
  balance_after: number;
  reason: string;
  staff_id: string | null;
  outbox_message_id: string | null;
  actor_name: string | null;
}
